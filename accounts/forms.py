from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    """Django's sign-in form, for any active user with a role (a group), or a superuser; not only staff."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_role": "This account has no role yet. Ask an administrator to make you a Recruiter or a Viewer.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser and not user.groups.exists():
            raise ValidationError(self.error_messages["no_role"], code="no_role")
