"""The admin's Reports page: the pipeline report's window and filters as a form, its tables as charts."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from recruitos.renderers import camelize
from reports.forms import PipelineReportForm
from reports.selectors import Window, pipeline_report


def pipeline_report_page(request):
    """`/admin/reports/`: for staff who may view candidates. Charts are drawn by Chart.js from static files."""
    if not request.user.has_perm("candidates.view_candidate"):
        raise PermissionDenied
    form = PipelineReportForm(request.GET or None)
    query = form.query() if request.GET else PipelineReportForm({}).query()  # the default window
    if not request.GET:
        form = PipelineReportForm(initial={"start": query["from"], "end": query["to"]})
    context = {**admin.site.each_context(request), "title": "Pipeline report", "form": form}
    if query is not None:
        window = Window(query["from"], query["to"], query.get("position"), query.get("source"))
        context["report"] = camelize(pipeline_report(window))
        context["window"] = window
        given = {name: value for name, value in window.query().items() if value}
        context["csv_query"] = urlencode(given | {"format": "csv"})
    return TemplateResponse(request, "admin/reports/pipeline.html", context)
