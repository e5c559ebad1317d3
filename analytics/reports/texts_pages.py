"""The catalog overview page's fixed texts in English, French and German.

Merged into :data:`analytics.reports.texts.TEXTS`; ``notebooks/catalog_overview.py`` reads them
in its ``language`` parameter. Counted texts take ``.one``/``.other`` forms like the report's.
"""

from __future__ import annotations

from collections.abc import Mapping

PAGES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "catalog.intro": (
            "The catalog as the last run stored and validated it: releases, tracks and the playlists "
            "the artist owns. Every number on this page comes from the run's validated datasets."
        ),
        "catalog.card.artists": "Artists",
        "catalog.card.releases": "Releases",
        "catalog.card.recordings": "Recordings",
        "catalog.card.length": "Catalog length",
        "catalog.card.playlists": "Own playlists",
        "catalog.hours": "{hours} h",
        "catalog.no_tracks": "No tracks stored for this artist yet.",
        "catalog.column.track": "track",
        "catalog.column.release": "release",
        "catalog.column.playlist": "playlist",
        "catalog.column.tracks": "tracks",
        "catalog.column.public": "public",
        "catalog.column.collaborative": "collaborative",
        "catalog.heading.durations": "Track durations",
        "catalog.heading.playlists": "Playlists",
        "catalog.no_playlists": "No playlists owned by or shared with this account.",
        "catalog.quota_development": (
            "Quota mode: development. Spotify no longer gives followers, popularity or labels to "
            "development-mode apps, so this page does not show them."
        ),
        "figure.tracks_per_release": "Tracks per release",
        "figure.durations": "Track durations",
        "chart.minutes": "minutes",
        "chart.release_bar.one": "{count} track · {minutes} min",
        "chart.release_bar.other": "{count} tracks · {minutes} min",
        "album_group.album": "album",
        "album_group.single": "single",
        "album_group.compilation": "compilation",
        "album_group.appears_on": "appears on",
    },
    "fr": {
        "catalog.intro": (
            "Le catalogue tel que la dernière exécution l'a enregistré et validé : sorties, titres et "
            "playlists de l'artiste. Chaque nombre de cette page vient des jeux de données validés "
            "de l'exécution."
        ),
        "catalog.card.artists": "Artistes",
        "catalog.card.releases": "Sorties",
        "catalog.card.recordings": "Enregistrements",
        "catalog.card.length": "Durée du catalogue",
        "catalog.card.playlists": "Vos playlists",
        "catalog.hours": "{hours} h",
        "catalog.no_tracks": "Aucun titre enregistré pour cet artiste pour l'instant.",
        "catalog.column.track": "titre",
        "catalog.column.release": "sortie",
        "catalog.column.playlist": "playlist",
        "catalog.column.tracks": "titres",
        "catalog.column.public": "publique",
        "catalog.column.collaborative": "collaborative",
        "catalog.heading.durations": "Durée des titres",
        "catalog.heading.playlists": "Playlists",
        "catalog.no_playlists": "Aucune playlist créée par ce compte ou partagée avec lui.",
        "catalog.quota_development": (
            "Mode de quota : développement. Spotify ne donne plus d'abonnés, de popularité ni de "
            "labels aux applications en mode développement ; cette page ne les montre donc pas."
        ),
        "figure.tracks_per_release": "Titres par sortie",
        "figure.durations": "Durée des titres",
        "chart.minutes": "minutes",
        "chart.release_bar.one": "{count} titre · {minutes} min",
        "chart.release_bar.other": "{count} titres · {minutes} min",
        "album_group.album": "album",
        "album_group.single": "single",
        "album_group.compilation": "compilation",
        "album_group.appears_on": "participation",
    },
    "de": {
        "catalog.intro": (
            "Der Katalog, wie ihn der letzte Lauf gespeichert und geprüft hat: Veröffentlichungen, "
            "Titel und die Playlists des Künstlers. Jede Zahl auf dieser Seite stammt aus den "
            "geprüften Datensätzen des Laufs."
        ),
        "catalog.card.artists": "Künstler",
        "catalog.card.releases": "Veröffentlichungen",
        "catalog.card.recordings": "Aufnahmen",
        "catalog.card.length": "Katalogdauer",
        "catalog.card.playlists": "Eigene Playlists",
        "catalog.hours": "{hours} Std.",
        "catalog.no_tracks": "Für diesen Künstler sind noch keine Titel gespeichert.",
        "catalog.column.track": "Titel",
        "catalog.column.release": "Veröffentlichung",
        "catalog.column.playlist": "Playlist",
        "catalog.column.tracks": "Titel",
        "catalog.column.public": "öffentlich",
        "catalog.column.collaborative": "gemeinsam",
        "catalog.heading.durations": "Titellängen",
        "catalog.heading.playlists": "Playlists",
        "catalog.no_playlists": "Keine Playlists, die diesem Konto gehören oder mit ihm geteilt werden.",
        "catalog.quota_development": (
            "Kontingentmodus: Entwicklung. Spotify gibt Apps im Entwicklungsmodus keine Follower, "
            "keine Popularität und keine Labels mehr, daher zeigt diese Seite sie nicht."
        ),
        "figure.tracks_per_release": "Titel pro Veröffentlichung",
        "figure.durations": "Titellängen",
        "chart.minutes": "Minuten",
        "chart.release_bar.one": "{count} Titel · {minutes} Min.",
        "chart.release_bar.other": "{count} Titel · {minutes} Min.",
        "album_group.album": "Album",
        "album_group.single": "Single",
        "album_group.compilation": "Compilation",
        "album_group.appears_on": "Mitwirkung",
    },
}
