"""Pages of the project as a whole, drawing on several apps (each app keeps its own pages)."""

from django.shortcuts import render

from rightstrack.presences.selectors import presence_list


def home(request):
    presences = presence_list(user=request.user, filters={})[:12]
    return render(request, "home.html", {"presences": presences})
