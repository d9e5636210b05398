"""The training space's own views, beside the session pages (included
under ``formations/`` by ``ent_site.urls``). Each part adds its paths."""

from django.urls import path

from training import attendance_views, followup_views, views

app_name = "training"

urlpatterns = [
    path(
        "<int:session_id>/ressources/envoyer/",
        followup_views.share_resources,
        name="share_resources",
    ),
    path(
        "<int:session_id>/avis/envoyer/",
        followup_views.send_feedback,
        name="send_feedback",
    ),
    path("<int:session_id>/avis/", followup_views.feedback, name="feedback"),
    path(
        "<int:session_id>/avis/resultats/",
        followup_views.feedback_results,
        name="feedback_results",
    ),
    path("<int:session_id>/inscription/", views.register, name="register"),
    path("<int:session_id>/desinscription/", views.cancel, name="cancel"),
    path("<int:session_id>/appel/", attendance_views.attendance, name="attendance"),
    path(
        "<int:session_id>/emargement.pdf",
        attendance_views.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "<int:session_id>/attestation.pdf",
        attendance_views.certificate,
        name="certificate",
    ),
    path("mes-heures/", attendance_views.my_hours, name="my_hours"),
    path("suivi/", attendance_views.follow_up, name="follow_up"),
    path("suivi/relancer/", attendance_views.remind, name="remind"),
    path("heures-externes/", attendance_views.external_hours, name="external_hours"),
]
