"""The artist report's words for "Playlists featuring you", in EN, FR, DE.

Merged into :data:`analytics.reports.texts.TEXTS`, like :mod:`analytics.reports.texts_words`.
"""

from __future__ import annotations

from collections.abc import Mapping

FEATURED: Mapping[str, Mapping[str, str]] = {
    "en": {
        "toc.featured": "Featured on",
        "heading.featured": "Playlists featuring you",
        "featured.summary.one": "{playlists} playlist played your music, with {recordings} on it.",
        "featured.summary.other": "{playlists} playlists played your music, with {recordings} on them.",
        "featured.as_of": (
            "As Spotify for Artists counted them in the export of {day}; a song on several "
            "releases (same recording) is one row."
        ),
        "featured.after_period": (
            "That export was downloaded after the period ended; its numbers cover the days before {day}."
        ),
        "featured.caption": "Each playlist, who made it, and your songs on it",
        "column.playlist": "playlist",
        "column.made_by": "made by",
        "column.recording": "song",
        "column.listeners": "listeners",
        "column.streams": "streams",
        "column.date_added": "added",
        "dataset.s4a_playlists": "Spotify for Artists playlists",
        "missing.featured_none": (
            "No playlists table from Spotify for Artists yet: download it (Music, Playlists) into "
            "the exports folder to see the playlists featuring you."
        ),
        "missing.featured_period": (
            "None of the Spotify for Artists playlists tables was downloaded during or after this period."
        ),
    },
    "fr": {
        "toc.featured": "Playlists qui vous jouent",
        "heading.featured": "Playlists qui vous mettent en avant",
        "featured.summary.one": "{playlists} playlist a joué votre musique, avec {recordings}.",
        "featured.summary.other": "{playlists} playlists ont joué votre musique, avec {recordings}.",
        "featured.as_of": (
            "Selon Spotify for Artists, dans l'export du {day} ; une chanson parue sur plusieurs "
            "sorties (même enregistrement) n'occupe qu'une ligne."
        ),
        "featured.after_period": (
            "Cet export a été téléchargé après la fin de la période ; ses chiffres portent sur les "
            "jours précédant le {day}."
        ),
        "featured.caption": "Chaque playlist, qui l'a créée, et vos titres qu'elle contient",
        "column.playlist": "playlist",
        "column.made_by": "créée par",
        "column.recording": "titre",
        "column.listeners": "auditeurs",
        "column.streams": "écoutes",
        "column.date_added": "ajouté le",
        "dataset.s4a_playlists": "playlists de Spotify for Artists",
        "missing.featured_none": (
            "Pas encore de tableau des playlists de Spotify for Artists : téléchargez-le (Musique, "
            "Playlists) dans le dossier des exports pour voir les playlists qui vous jouent."
        ),
        "missing.featured_period": (
            "Aucun tableau des playlists de Spotify for Artists n'a été téléchargé pendant ou après "
            "cette période."
        ),
    },
    "de": {
        "toc.featured": "Playlists mit Ihnen",
        "heading.featured": "Playlists, die Sie spielen",
        "featured.summary.one": "{playlists} Playlist hat Ihre Musik gespielt, mit {recordings}.",
        "featured.summary.other": "{playlists} Playlists haben Ihre Musik gespielt, mit {recordings}.",
        "featured.as_of": (
            "So hat Spotify for Artists sie im Export vom {day} gezählt; ein Song auf mehreren "
            "Veröffentlichungen (dieselbe Aufnahme) ist eine Zeile."
        ),
        "featured.after_period": (
            "Dieser Export wurde nach dem Ende des Zeitraums heruntergeladen; seine Zahlen gelten für "
            "die Tage vor dem {day}."
        ),
        "featured.caption": "Jede Playlist, wer sie erstellt hat, und Ihre Songs darauf",
        "column.playlist": "Playlist",
        "column.made_by": "erstellt von",
        "column.recording": "Song",
        "column.listeners": "Hörer",
        "column.streams": "Streams",
        "column.date_added": "hinzugefügt",
        "dataset.s4a_playlists": "Playlists aus Spotify for Artists",
        "missing.featured_none": (
            "Noch keine Playlist-Tabelle von Spotify for Artists: Laden Sie sie (Musik, Playlists) in "
            "den Export-Ordner herunter, um die Playlists zu sehen, die Sie spielen."
        ),
        "missing.featured_period": (
            "Keine Playlist-Tabelle von Spotify for Artists wurde während oder nach diesem Zeitraum "
            "heruntergeladen."
        ),
    },
}
"""Every word of the "Playlists featuring you" section, by language."""
