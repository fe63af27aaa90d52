from django.urls import path

from yasp_web.players import views

urlpatterns = [
    path("search/", views.player_search, name="player_search"),
    path("players/<int:account_id>/", views.player_overview, name="player_overview"),
    path("players/<int:account_id>/matches/", views.player_match_list, name="player_matches"),
    path("players/<int:account_id>/heroes/", views.player_hero_list, name="player_heroes"),
    path("players/<int:account_id>/peers/", views.player_peer_list, name="player_peers"),
    path("players/<int:account_id>/records/", views.player_record_list, name="player_records"),
    path("players/<int:account_id>/activity/", views.player_activity, name="player_activity"),
    path("players/<int:account_id>/rankings/", views.player_rankings, name="player_rankings"),
]
