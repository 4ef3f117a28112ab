"""Who may see and change plans and measures; the one place services and selectors ask.

- Internal readers (administrators, coordinators, viewers) see every plan and measure.
- A focal point sees published plans, plus every measure their agency is responsible for (and the
  plan it belongs to), published or not.
- Everybody else (civil society contributors, the public) sees published plans only.
- Managers (administrators, coordinators) change plans, measures and indicators; a focal point
  changes only the current values of the indicators of their agency's measures.
"""

from django.db.models import Exists, OuterRef, Q

from rightstrack.core.roles import Role, can_manage, can_read_internal, role_of

from .models import ActionPlan, Measure


def focal_agency_id(user):
    """The agency a signed-in focal point works for, else None."""
    if role_of(user) == Role.FOCAL_POINT:
        return user.agency_id
    return None


def _agency_measures(agency_id):
    return Measure.responsible_agencies.through.objects.filter(agency_id=agency_id)


def visible_plans(user):
    plans = ActionPlan.objects.all()
    if can_read_internal(user):
        return plans
    agency_id = focal_agency_id(user)
    visible = Q(is_published=True)
    if agency_id:
        visible |= Exists(_agency_measures(agency_id).filter(measure__plan=OuterRef("pk")))
    return plans.filter(visible)


def visible_measures(user):
    measures = Measure.objects.all()
    if can_read_internal(user):
        return measures
    visible = Q(plan__is_published=True)
    agency_id = focal_agency_id(user)
    if agency_id:
        visible |= Exists(_agency_measures(agency_id).filter(measure_id=OuterRef("pk")))
    return measures.filter(visible)


def is_responsible_focal_point(user, measure):
    """A focal point of one of the measure's responsible agencies."""
    agency_id = focal_agency_id(user)
    if not agency_id:
        return False
    return any(agency.pk == agency_id for agency in measure.responsible_agencies.all())


def may_change_structure(user):
    """May create and edit plans, measures, indicators and the recommendations they answer."""
    return can_manage(user)


def may_update_indicator_values(user, measure):
    return can_manage(user) or is_responsible_focal_point(user, measure)


def may_report_on(user, measure):
    """May write progress reports on the measure."""
    return can_manage(user) or is_responsible_focal_point(user, measure)
