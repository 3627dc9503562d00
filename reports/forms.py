"""The admin Reports page's form: the API's query, as a form."""

from django import forms

from candidates.models import Source
from reports.serializers import PipelineQuerySerializer


class PipelineReportForm(forms.Form):
    """The window and filters; checked by the API's query serializer, so both refuse the same things."""

    start = forms.DateField(label="Applied from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    position = forms.CharField(required=False, max_length=200)
    source = forms.ChoiceField(required=False, choices=[("", "Any source"), *Source.choices])

    def query(self) -> dict | None:
        """The API's query ({"from", "to", "position", "source"}) or None, with the errors on the form."""
        if not self.is_valid():
            return None
        given = {"from": self.cleaned_data["start"], "to": self.cleaned_data["end"]}
        given |= {name: self.cleaned_data[name] for name in ("position", "source")}
        serializer = PipelineQuerySerializer(data={name: value for name, value in given.items() if value})
        if serializer.is_valid():
            return serializer.validated_data
        for name, messages in serializer.errors.items():
            self.add_error({"from": "start", "to": "end"}.get(name, name), messages)
        return None
