from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.forms import ProfileForm
from accounts.models import User


def profile_detail(request: HttpRequest, handle: str) -> HttpResponse:
    member = get_object_or_404(
        User.objects.filter(is_active=True).prefetch_related("groups"), handle__iexact=handle
    )
    return render(request, "accounts/profile_detail.html", {"member": member})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect(request.user)
    return render(request, "accounts/profile_form.html", {"form": form})
