"""The platform's doors into Reflect: the key set, OIDC login initiation, the launch, and the
deep-linking picker. Every refusal is a page that says what happened (4xx), never a 500."""

import logging
from http import HTTPStatus
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as sign_in
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.constants import SESSION_KEY as LAUNCH_KEY
from lti_tool.models import LtiContext, LtiRegistration, LtiUser
from lti_tool.utils import sync_data_from_launch
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from community.models import Prompt
from lessons.models import Course
from lessons.permissions import can_invite
from lti import dynamic, frames, grades, keys, services, tasks
from lti.launches import LaunchRefused, oidc_login, validated_launch
from lti.models import CourseLink

logger = logging.getLogger(__name__)

DEEP_LINK_KEY = "lti_deep_link"
LINK_SALT = "lti.link-account"
LINK_MAX_AGE = 3600
DEEP_LINK_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id", "client_id")

# What a refused launch says, by the library's reason (the first that the reason contains). The
# reasons are the library's (matched, never shown); the messages are shown to people.
REASONS = [
    (
        "already used",
        gettext_lazy("This launch was already used. Go back to your course and open the activity again."),
    ),
    (
        "Invalid Nonce",  # taken out of the cache by the first use (lti.launches), or never issued
        gettext_lazy(
            "This launch was already used, or was not started here. Go back to your course and open "
            "the activity again."
        ),
    ),
    ("expired", gettext_lazy("This launch has expired. Go back to your course and open the activity again.")),
    (
        "State not found",
        gettext_lazy(
            "This launch does not match a sign-in started in this browser. If your browser blocks "
            "cookies inside other sites, open Reflect in a new window from your course."
        ),
    ),
    (
        "cookie",
        gettext_lazy(
            "Your browser did not send the launch's cookie. Open Reflect in a new window from your course."
        ),
    ),
    ("Registration not found", gettext_lazy("This learning platform is not registered with Reflect.")),
    ("Client id", gettext_lazy("This learning platform is not registered with Reflect.")),
    (
        "deployment",
        gettext_lazy(
            "This deployment of Reflect is not known. Ask your Reflect administrator to activate it."
        ),
    ),
]
DEFAULT_REASON = gettext_lazy("Reflect could not verify this launch from your learning platform.")


def refused(request: HttpRequest, message: str, *, status: int = HTTPStatus.FORBIDDEN, ancestors=None):
    response = render(request, "lti/refused.html", {"message": message}, status=status)
    response.lti_frame_ancestors = ancestors if ancestors is not None else frames.every_registration_origins()
    return response


def _reason(error: Exception) -> str:
    text = str(error)
    return str(
        next((message for needle, message in REASONS if needle.lower() in text.lower()), DEFAULT_REASON)
    )


# --- The tool's keys ------------------------------------------------------------------------------


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The public keys platforms check our signatures with (deep linking responses, service tokens)."""
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- OIDC third-party login initiation --------------------------------------------------------------


def _registration_for(params, registration_uuid) -> LtiRegistration | None:
    found = LtiRegistration.objects.active().select_related("reflect_platform")
    if registration_uuid is not None:
        return found.filter(uuid=registration_uuid).first()
    iss, client_id = params.get("iss"), params.get("client_id")
    if not iss:
        return None
    found = found.filter(issuer=iss)
    return found.filter(client_id=client_id).first() if client_id else found.first()


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest, registration_uuid=None) -> HttpResponse:
    """The platform starts a launch here (GET or POST). A page first checks that the browser keeps
    our cookies inside the platform's frame (Safari does not): if it does, it continues here at
    once; if not, it offers "Open in a new window", where the launch runs first-party."""
    params = request.POST if request.method == "POST" else request.GET
    registration = _registration_for(params, registration_uuid)
    if registration is None:
        return refused(
            request,
            _("This learning platform is not registered with Reflect."),
            status=HTTPStatus.BAD_REQUEST,
        )
    ancestors = frames.registration_origins(registration)
    if not (params.get("iss") and params.get("login_hint")):
        return refused(request, _("The platform's request is missing its issuer or login hint."),
                       status=HTTPStatus.BAD_REQUEST, ancestors=ancestors)  # fmt: skip
    if not (params.get("reflect_checked") or params.get("lti1p3_new_window")):
        forwarded = {name: params[name] for name in LOGIN_PARAMS if params.get(name)}
        response = render(request, "lti/cookie_check.html", {
            "action": request.path, "params": forwarded, "secure": request.is_secure(),
            "new_window_url": f"{request.path}?{urlencode({**forwarded, 'lti1p3_new_window': '1'})}",
        })  # fmt: skip
        response.lti_frame_ancestors = ancestors
        # "Continue" is answered with a redirect to the platform's auth URL: form-action covers it.
        response._csp_update = {"form-action": frames.registration_origins(registration)}
        return response
    keys.ensure_key()
    try:
        response = (
            oidc_login(request, registration)
            .disable_check_cookies()
            .redirect(request.build_absolute_uri(reverse("lti:launch")))
        )
    except (OIDCException, LtiException) as error:
        logger.info("LTI login refused: %s", error)
        return refused(request, _reason(error), status=HTTPStatus.BAD_REQUEST, ancestors=ancestors)
    response.lti_frame_ancestors = ancestors
    return response


# --- The launch ---------------------------------------------------------------------------------------


@never_cache
@csrf_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    """The platform posts the signed ``id_token`` here, in its frame or a new window."""
    if not (request.POST.get("id_token") and request.POST.get("state")):
        return refused(request, _("The launch is missing its token."), status=HTTPStatus.BAD_REQUEST)
    keys.ensure_key()
    try:
        lti_launch = validated_launch(request)
        if not lti_launch.deployment.is_active:
            raise LaunchRefused(
                _(
                    "This deployment of Reflect is not active yet. Ask your Reflect administrator to "
                    "activate it (Admin → LTI registrations)."
                )
            )
        if not (lti_launch.is_resource_launch or lti_launch.is_deep_link_launch):
            raise LaunchRefused(_("Reflect does not offer this kind of launch."))
        sync_data_from_launch(lti_launch)
        user, created = services.account_and_created(lti_user=lti_launch.user)
        if not user.is_active:
            raise LaunchRefused(_("This Reflect account is deactivated."))
        if lti_launch.is_deep_link_launch and not services.leads(lti_launch.roles_claim):
            raise LaunchRefused(_("Only the course's instructors add Reflect activities."))
        arrival = services.arrive(launch=lti_launch, user=user)
    except LtiException as error:
        logger.info("LTI launch refused: %s", error)
        return refused(request, _reason(error))
    except LaunchRefused as error:
        return refused(request, str(error))
    _begin_session(request, lti_launch, user)
    if lti_launch.is_deep_link_launch:
        request.session[DEEP_LINK_KEY] = {
            "registration": lti_launch.registration.pk,
            "deployment_id": lti_launch.deployment.deployment_id,
            "context": lti_launch.context.pk,
            "settings": lti_launch.get_claim(DEEP_LINK_CLAIM),
        }
        return redirect("lti:deep-link")
    if arrival.link is None:
        return render(request, "lti/not_linked.html", {"arrival": arrival, "context": lti_launch.context})
    tasks.queue_roster_sync_after_launch(arrival.link)
    activity = services.landing_activity(launch=lti_launch, course=arrival.link.course)
    if activity is not None and (
        graded := grades.graded_activity_from_launch(launch=lti_launch, prompt=activity)
    ):
        tasks.queue_scores(graded)
    landing = services.landing_url(launch=lti_launch, course=arrival.link.course)
    if created and services.existing_account(lti_launch.user) is not None:
        return _offer_existing_account(request, lti_launch.user, landing)
    return redirect(landing)


def _offer_existing_account(request: HttpRequest, lti_user, landing: str) -> HttpResponse:
    """First launch of someone whose platform address is a Reflect member's: they may go on with
    the new account, or sign in to theirs (in a new window: sign-in pages are never framed) and
    confirm. Nothing is linked unless they do."""
    token = signing.dumps({"lti_user": lti_user.pk}, salt=LINK_SALT)
    confirm = reverse("lti:link-account", args=[token])
    return render(request, "lti/existing_account.html", {
        "email": lti_user.email, "landing": landing,
        "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': confirm})}",
    })  # fmt: skip


def _begin_session(request: HttpRequest, lti_launch, user) -> None:
    sign_in(request, user, backend="accounts.backends.ModelBackend")
    request.session[LAUNCH_KEY] = lti_launch.get_launch_id()
    request.session[frames.SESSION_KEY] = frames.launch_origins(
        lti_launch.registration, lti_launch.get_launch_data()
    )


# --- Deep linking: the instructor picks course → lesson → activity ------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest) -> HttpResponse:
    info = request.session.get(DEEP_LINK_KEY)
    if not info:
        return refused(request, _("Start from your learning platform: add Reflect as an activity there."),
                       ancestors=request.session.get(frames.SESSION_KEY))  # fmt: skip
    context = LtiContext.objects.select_related("deployment__registration").get(pk=info["context"])
    data = request.POST if request.method == "POST" else request.GET
    courses = services.linkable_courses(context)
    course = next(
        (c for c in courses if str(c.pk) == data.get("course")), courses[0] if len(courses) == 1 else None
    )
    lessons = list(course.lessons.order_by("position", "number")) if course else []
    lesson = next((item for item in lessons if str(item.pk) == data.get("lesson")), None)
    activities = list(Prompt.objects.filter(lesson=lesson).order_by("created_at")) if lesson else []
    if request.method == "POST" and lesson is not None:
        activity = next((item for item in activities if str(item.pk) == data.get("activity")), None)
        grade = data.get("grade", "")
        replies = int(grade) if grade.isdigit() and activity is not None else None
        return _return_deep_link(
            request, info=info, context=context, lesson=lesson, activity=activity, replies=replies
        )
    return render(request, "lti/deep_link.html", {
        "context": context, "courses": courses, "course": course, "lessons": lessons,
        "lesson": lesson, "activities": activities,
    })  # fmt: skip


def _return_deep_link(request, *, info, context, lesson, activity, replies: int | None) -> HttpResponse:
    """``replies``: None, not graded; else the participation rule (0: reflected; N: and replied to
    N colleagues), sent with a line item the platform creates in its gradebook."""
    try:
        link = services.link_course(context=context, course=lesson.course, by=request.user)
    except LaunchRefused as error:
        return refused(request, str(error), ancestors=request.session.get(frames.SESSION_KEY))
    services.lead(link=link, user=request.user)
    custom = {services.CUSTOM_LESSON: str(lesson.pk)}
    if activity is not None:
        custom[services.CUSTOM_ACTIVITY] = str(activity.pk)
    resource = (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti:launch")))
        .set_title(
            activity.title
            if activity is not None
            # Translators: the title of a link to a lesson's space, shown in the learning platform.
            else _("%(lesson)s: reflect together") % {"lesson": lesson.title}
        )
        .set_custom_params(custom)
    )
    if replies is not None:
        custom[services.CUSTOM_REPLIES] = str(replies)
        resource.set_custom_params(custom).set_lineitem(
            LineItem()
            .set_score_maximum(1)
            # Translators: the gradebook column's name in the learning platform.
            .set_label((_("Participation: %(activity)s") % {"activity": activity.title})[:255])
            .set_resource_id(f"reflect-activity-{activity.pk}")
            .set_tag("reflect-participation")
        )
    registration = LtiRegistration.objects.get(pk=info["registration"])
    settings_claim = info["settings"] or {}
    token = DeepLink(registration.to_registration(), info["deployment_id"], settings_claim).get_response_jwt(
        [resource]
    )
    del request.session[DEEP_LINK_KEY]
    return_url = settings_claim.get("deep_link_return_url", "")
    response = render(request, "lti/deep_link_return.html", {"return_url": return_url, "token": token})
    if target := frames.origin(return_url):
        response._csp_update = {"form-action": [target]}
    return response


# --- The roster: what the platform's courses linked to a Reflect course say, and "Sync roster now" -----


@login_required
@require_GET
def roster(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=course_slug)
    if not can_invite(request.user, course):
        raise PermissionDenied
    links = CourseLink.objects.filter(course=course).select_related("context").order_by("pk")
    return render(request, "lti/roster.html", {"course": course, "links": links})


@login_required
@require_POST
def roster_sync(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(CourseLink.objects.select_related("course", "context"), pk=link_id)
    if not can_invite(request.user, link.course):
        raise PermissionDenied
    tasks.queue_roster_sync(link)
    messages.success(request, _("The roster is being synced from the learning platform."))
    return redirect("lti:roster", course_slug=link.course.slug)


# --- Dynamic registration ----------------------------------------------------------------------------


@never_cache
@require_GET
def dynamic_registration(request: HttpRequest, token: str) -> HttpResponse:
    """The platform opens this (in a frame or a window of its registration page) with
    ``openid_configuration`` and ``registration_token``; see ``lti.dynamic``."""
    openid_configuration = request.GET.get("openid_configuration", "")
    ancestors = [found] if (found := frames.origin(openid_configuration)) else []
    try:
        dynamic.check_invitation(token)
        registration = dynamic.register(
            openid_configuration=openid_configuration,
            registration_token=request.GET.get("registration_token", ""),
        )
    except dynamic.RegistrationFailed as error:
        return refused(request, str(error), status=HTTPStatus.BAD_REQUEST, ancestors=ancestors)
    response = render(request, "lti/registered.html", {"registration": registration})
    response.lti_frame_ancestors = ancestors
    return response


# --- Linking an existing account ---------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def link_account(request: HttpRequest, token: str) -> HttpResponse:
    """Signed in to their existing account, the member confirms that launches from the platform
    should use it. Only an account holding the platform's address (verified) may confirm."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return refused(
            request, _("This link has expired: open Reflect from your course again."), ancestors=[]
        )
    lti_user = (
        LtiUser.objects.select_related("registration", "auth_user").filter(pk=data.get("lti_user")).first()
    )
    if lti_user is None or not services.owns_address(request.user, lti_user.email):
        return refused(
            request,
            _("Sign in with the Reflect account whose address your learning platform gave to link it."),
            ancestors=[],
        )
    if request.method == "POST":
        services.link_existing_account(lti_user=lti_user, user=request.user)
        messages.success(
            request,
            _("Launches from %(platform)s now use this account.") % {"platform": lti_user.registration.name},
        )
        return redirect("/")
    return render(request, "lti/link_account.html", {"lti_user": lti_user})
