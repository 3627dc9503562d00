"""Signing in and out (pages in the admin's look) and `GET /api/me`."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views.generic import TemplateView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import SignInForm
from accounts.serializers import MeSerializer


class AdminLookMixin:
    """The admin site's header and title, so these pages look like the back office."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class SignInView(AdminLookMixin, auth_views.LoginView):
    """`/accounts/login/`: Django's LoginView; `?next=` is followed when it stays on this site."""

    form_class = SignInForm
    template_name = "admin/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Sign in"}


class HomeView(LoginRequiredMixin, AdminLookMixin, TemplateView):
    """`/`: where signing in lands when no frontend is served in front of this app."""

    template_name = "accounts/home.html"
    extra_context = {"title": "RecruitOS"}


class MeView(APIView):
    """`GET /api/me`: the signed-in user, or the key's user; 401 without either."""

    permission_classes = [IsAuthenticated]
    serializer_class = MeSerializer  # what the schema documents

    def get(self, request):
        return Response(MeSerializer(request.user).data)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked sign-in: 429 and a page that says why and for how long."""
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)
