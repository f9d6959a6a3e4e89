from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accdesk.access import accounts
from accdesk.agency import members as member_rules
from accdesk.agency import notices
from accdesk.agency.forms import (
    AdditionalOrisForm,
    ChangeMemberForm,
    DesignationDetailsForm,
    DesignationForm,
    DesignationKindForm,
    MemberActionForm,
    NewMemberForm,
    NoticeSentForm,
    ProfileForm,
)
from accdesk.agency.models import Designation, DojNotice, Membership, Role
from accdesk.agency.permissions import ACTIONS
from accdesk.agency.tenancy import AgencyRequest, agency_object_or_404, agency_view, may


def _back_to_profile(request: AgencyRequest) -> HttpResponse:
    return redirect("agency:profile", ori=request.agency.ori)


@agency_view("agency.view")
def profile(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    designations = agency.designations.all()
    current = {d.kind: d for d in designations if d.is_current and d.kind != "other"}
    context = {
        "current": [
            (kind, Designation.Kind(kind).label, current.get(kind))
            for kind in Designation.SINGLE_HOLDER
        ],
        "others": [d for d in designations if d.kind == "other" and d.is_current],
        "history": [d for d in designations if not d.is_current],
        "notices": agency.notices.all()[:50],
        "can_edit": may(request, "agency.edit"),
        "oris_form": AdditionalOrisForm(agency=agency),
    }
    return render(request, "agency/profile.html", context)


@require_POST
@agency_view("agency.edit")
def additional_oris(request: AgencyRequest) -> HttpResponse:
    """The agency's additional ORIs (issue 10); the change is recorded like every
    change of the agency record (core/signals.py)."""
    agency = request.agency
    form = AdditionalOrisForm(request.POST, agency=agency)
    if form.is_valid():
        agency.additional_oris = form.cleaned_data["oris"]
        agency.save(update_fields=["additional_oris"])
        messages.success(request, "Additional ORIs saved.")
        return _back_to_profile(request)
    for error in form.errors.get("oris", []):
        messages.error(request, f"Additional ORIs not saved: {error}")
    return _back_to_profile(request)


@agency_view("agency.edit")
def edit_profile(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    form = ProfileForm(request.POST or None, instance=agency, today=agency.today())
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        # The ModelForm already copied the values onto ``agency``; reload it so the
        # change (and the old values for the notice) are computed from the database.
        agency.refresh_from_db()
        notice = notices.update_profile(
            agency, values, form.cleaned_data["effective_on"]
        )
        if notice:
            messages.warning(
                request,
                "The change must be reported to DOJ: a notice is ready to print.",
            )
            return redirect("agency:notice", ori=agency.ori, pk=notice.pk)
        messages.success(request, "Agency profile saved.")
        return _back_to_profile(request)
    return render(request, "agency/profile_form.html", {"form": form})


@agency_view("agency.edit")
def designate(request: AgencyRequest, kind: str = "") -> HttpResponse:
    agency = request.agency
    if kind and kind not in Designation.Kind.values:
        return _back_to_profile(request)
    form_class = DesignationForm if kind else DesignationKindForm
    form = form_class(request.POST or None, today=agency.today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, notice = notices.designate(
                agency,
                kind or data["kind"],
                name=data["name"],
                title=data["title"],
                phone=data["phone"],
                email=data["email"],
                effective_on=data["effective_on"],
            )
        except ValueError as exc:
            form.add_error("effective_on", str(exc))
        else:
            if notice:
                messages.warning(
                    request,
                    "The change must be reported to DOJ: a notice is ready to print.",
                )
                return redirect("agency:notice", ori=agency.ori, pk=notice.pk)
            messages.success(request, "Saved.")
            return _back_to_profile(request)
    label = Designation.Kind(kind).label if kind else "Add a contact"
    return render(
        request, "agency/designation_form.html", {"form": form, "label": label}
    )


@agency_view("agency.edit")
def edit_designation(request: AgencyRequest, pk: int) -> HttpResponse:
    holder = agency_object_or_404(request, Designation, pk=pk, ends_on__isnull=True)
    form = DesignationDetailsForm(request.POST or None, instance=holder)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Contact details of {holder.name} saved.")
        return _back_to_profile(request)
    return render(
        request,
        "agency/designation_form.html",
        {"form": form, "label": f"{holder.get_kind_display()}: {holder.name}"},
    )


@agency_view("agency.edit")
@require_POST
def end_designation(request: AgencyRequest, pk: int) -> HttpResponse:
    """Remove an "other" contact (kept in history); designated roles are replaced."""
    holder = agency_object_or_404(
        request, Designation, pk=pk, ends_on__isnull=True, kind=Designation.Kind.OTHER
    )
    holder.ends_on = request.agency.today()
    holder.save(update_fields=["ends_on"])
    return _back_to_profile(request)


@agency_view("agency.view")
def notice(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(
        request, DojNotice.objects.select_related("sent_by"), pk=pk
    )
    form = NoticeSentForm(today=request.agency.today())
    return render(
        request,
        "agency/notice.html",
        {
            "notice": item,
            "form": form,
            "can_send": may(request, "notices.send"),
        },
    )


@agency_view("notices.send")
@require_POST
def notice_sent(request: AgencyRequest, pk: int) -> HttpResponse:
    item = agency_object_or_404(request, DojNotice, pk=pk, sent_on__isnull=True)
    form = NoticeSentForm(request.POST, today=request.agency.today())
    if form.is_valid():
        notices.mark_sent(
            item,
            form.cleaned_data["sent_on"],
            request.user,
            form.cleaned_data["sent_how"],
        )
        messages.success(request, "Recorded as sent to DOJ; the task is closed.")
        return redirect("dashboard:agency", ori=request.agency.ori)
    return render(
        request,
        "agency/notice.html",
        {"notice": item, "form": form, "can_send": True},
        status=400,
    )


@agency_view("members.view")
def members(request: AgencyRequest) -> HttpResponse:
    rows = Membership.objects.filter(agency=request.agency).select_related("user")
    return render(
        request,
        "agency/members.html",
        {
            "memberships": rows,
            "can_manage": may(request, "members.manage"),
            "today": request.agency.today(),
        },
    )


@agency_view("members.manage")
def add_member(request: AgencyRequest) -> HttpResponse:
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = accounts.find(data["email"])
        if user is not None and user.memberships.filter(agency=request.agency).exists():
            form.add_error("email", "This user is already a member of the agency.")
        elif user is not None and not member_rules.account_is_ours(
            user, request.agency
        ):
            form.add_error("email", member_rules.OTHER_AGENCY)
        else:
            password = None
            with transaction.atomic():
                if user is None:
                    user, password = accounts.create_user(
                        data["email"], data["first_name"], data["last_name"]
                    )
                Membership.objects.create(
                    user=user,
                    agency=request.agency,
                    role=data["role"],
                    expires_on=data["expires_on"],
                    employee_id=data["employee_id"],
                )
            return render(
                request,
                "agency/member_added.html",
                {"member": user, "password": password},
            )
    return render(
        request, "agency/member_form.html", {"form": form, "title": "Add a user"}
    )


def _member(request: AgencyRequest, pk: int) -> Membership:
    return agency_object_or_404(
        request, Membership.objects.select_related("user", "agency"), pk=pk
    )


def _code_is_right(request: AgencyRequest, form: forms.Form) -> bool:
    """The acting ACC re-entered their own code; a wrong one is a failed sign-in."""
    if accounts.confirm_own_code(
        request.user, form.cleaned_data["code"], request.META.get("REMOTE_ADDR")
    ):
        return True
    form.add_error("code", "That code is not correct (or was already used).")
    return False


def _signed_out_if_locked(request: AgencyRequest) -> HttpResponse | None:
    """Wrong codes lock the account like wrong passwords (AC-7): end the session."""
    request.user.refresh_from_db(fields=["locked_at"])
    if not request.user.is_locked:
        return None
    logout(request)
    return redirect("access:signin")


def _member_page(
    request: AgencyRequest,
    membership: Membership,
    form: forms.Form | None = None,
    action_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    own = membership.user_id == request.user.pk
    context = {
        "title": membership.user.email,
        "membership": membership,
        "own": own,
        "account_is_ours": member_rules.account_is_ours(
            membership.user, request.agency
        ),
        "form": None if own else form or ChangeMemberForm(instance=membership),
        "action_form": action_form or MemberActionForm(prefix="account"),
    }
    return render(request, "agency/member_form.html", context, status=status)


@agency_view("members.manage")
def edit_member(request: AgencyRequest, pk: int) -> HttpResponse:
    """Change a member's role, expiry and employee ID (not one's own)."""
    membership = _member(request, pk)
    if request.method != "POST":
        return _member_page(request, membership)
    form = ChangeMemberForm(request.POST, instance=membership)
    try:
        member_rules.acting_on_someone_else(request.user, membership)
    except member_rules.NotAllowed as refused:
        messages.error(request, str(refused))
        return redirect("agency:members", ori=request.agency.ori)
    code_ok = form.is_valid() and _code_is_right(request, form)
    if not code_ok and (signed_out := _signed_out_if_locked(request)):
        return signed_out
    if code_ok:
        try:
            member_rules.check_losing_acc(
                Membership.objects.get(pk=membership.pk), form.cleaned_data["role"]
            )
        except member_rules.NotAllowed as refused:
            form.add_error("role", str(refused))
        else:
            form.save()  # recorded in the change record (Membership is Audited)
            messages.success(request, f"{membership.user.email}: access updated.")
            return redirect("agency:members", ori=request.agency.ori)
    membership.refresh_from_db()
    return _member_page(request, membership, form=form, status=400)


_DONE = {
    "suspend": "{email} is suspended: no access to this agency until reactivated.",
    "reactivate": "{email} is reactivated.",
    "remove": "{email} no longer has access.",
    "reset_mfa": "{email} sets up a new authenticator app at their next sign-in.",
}


@agency_view("members.manage")
@require_POST
def member_action(request: AgencyRequest, pk: int) -> HttpResponse:
    """Reset a member's password or second factor, suspend, reactivate or remove
    them: each needs the ACC's own code again and is recorded."""
    membership = _member(request, pk)
    form = MemberActionForm(request.POST, prefix="account")
    if not (form.is_valid() and _code_is_right(request, form)):
        signed_out = _signed_out_if_locked(request)
        return signed_out or _member_page(
            request, membership, action_form=form, status=400
        )
    action = form.cleaned_data["action"]
    email = membership.user.email
    try:
        if action == "reset_password":
            password = member_rules.reset_password(request.user, membership)
            response = render(
                request,
                "agency/member_added.html",
                {"member": membership.user, "password": password, "reset": True},
            )
            response["Cache-Control"] = "no-store"  # the password is shown once
            return response
        getattr(member_rules, action)(request.user, membership)
    except member_rules.NotAllowed as refused:
        form.add_error(None, str(refused))
        return _member_page(request, membership, action_form=form, status=400)
    messages.success(request, _DONE[action].format(email=email))
    return redirect("agency:members", ori=request.agency.ori)


@agency_view("members.manage")
@require_POST
def unlock_member(request: AgencyRequest, pk: int) -> HttpResponse:
    membership = _member(request, pk)
    if not member_rules.account_is_ours(membership.user, request.agency):
        messages.error(request, member_rules.OTHER_AGENCY)
    elif membership.user.is_locked:
        accounts.unlock(membership.user, agency_id=request.agency.pk)
        messages.success(request, f"{membership.user.email} is unlocked.")
    return redirect("agency:members", ori=request.agency.ori)


@agency_view("dashboard.view")
def permissions(request: AgencyRequest) -> HttpResponse:
    """Who can do what: rendered from the registry (agency/permissions.py)."""
    rows = [
        (action, [role for role in Role if role in action.roles])
        for action in ACTIONS.values()
    ]
    return render(request, "agency/permissions.html", {"rows": rows})
