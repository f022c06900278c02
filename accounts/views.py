from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render

from members.display import member_sections
from members.selectors import member_get

from .activation import account_used
from .choices import Permission
from .forms import SignInForm
from .scoping import granted_unit_paths


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # First and last use feed the rollout's "activated but not using the app" worklist.
        account_used(user=form.get_user())
        return response


@login_required
def home(request):
    """Officials start at the unit tree; a member starts at their handbook home."""
    if granted_unit_paths(request.user, Permission.MEMBER_VIEW):
        return redirect("orgunits:list")
    return redirect("handbook:home")


@login_required
def my_record(request):
    member = member_get(actor=request.user, pk=request.user.member_id) if request.user.member_id else None
    sections = member_sections(member) if member else []
    return render(request, "accounts/my_record.html", {"member": member, "sections": sections})
