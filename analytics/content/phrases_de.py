"""German phrasings. Case and gender come from the slots: ``{ein_neues_rel_acc}`` gives
„ein neues Album“ / „eine neue Single“, ``{dem_neuen_rel_dat}`` „dem neuen Album“ / „der neuen
Single“, ``{es}`` the matching pronoun; ``{on_date}`` carries its preposition („am 15. Dezember
2012“, „im Jahr 2013“)."""

from __future__ import annotations

PHRASES: dict[str, tuple[str, ...]] = {
    "release.open": ("Neue Musik!", "Jetzt erhältlich!", "Endlich da!", "Release-Tag!", "Es gibt Neues!"),
    "catalog.open": (
        "Aus dem Katalog:",
        "Ein Blick zurück.",
        "Zum Wiederhören.",
        "Ein Klassiker aus dem Katalog.",
    ),
    "release.new": (
        "{artist} hat {ein_neues_rel_acc} veröffentlicht: {title}, erschienen {on_date}.",
        "{title}, {das_neue_rel_nom} von {artist}, ist {on_date} erschienen.",
        "{artist_gen} {neues_rel_nom} {title} ist da, erschienen {on_date}.",
        "{title} ist da: {ein_neues_rel_nom} von {artist}, erschienen {on_date}.",
        "Hört rein in {title}, {das_neue_rel_acc} von {artist}, erschienen {on_date}.",
    ),
    "release.old": (
        "{title}, {ein_rel_nom} von {artist}, ist {on_date} erschienen.",
        "{artist} hat {title} {on_date} veröffentlicht, und {es} lohnt sich noch immer.",
        "Hört noch einmal rein: {title}, erschienen {on_date}.",
        "{title} von {artist} erschien {on_date}.",
        "Immer noch in Dauerschleife: {title}, {ein_rel_nom} von {artist} aus dem Katalog.",
    ),
    "release.detail": (
        "{n_tracks} zum Entdecken.",
        "Mit dabei: {n_tracks}.",
        "{das_rel_nom_cap} umfasst {n_tracks}.",
        "{n_tracks}, erschienen bei {label}.",
        "Erschienen bei {label}, mit {n_tracks_dat}.",
    ),
    "audio.track": (
        "{a_title} läuft mit {tempo} in {key}.",
        "{a_title} liegt bei {tempo} und bleibt von Anfang bis Ende {energy_adj}.",
        "{a_title} klingt {energy_adj}, in {key}.",
        "Mit {tempo} ist {a_title} {energy_adj}.",
        "{a_title} läuft mit {tempo}.",
        "{a_title} steht in {key}.",
    ),
    "cta.release.x": ("Heute noch streamen.", "Lauter drehen!"),
    "cta.x": ("Jetzt reinhören.", "Auf Play drücken.", "Lauter drehen!"),
    "cta.release.instagram": ("Speichert es in eurer Bibliothek.", "Reinhören über den Link in der Bio."),
    "cta.instagram": (
        "Link in der Bio.",
        "Reinhören über den Link in der Bio.",
        "Zum Anhören: Link in der Bio.",
    ),
    "cta.release.tiktok": (
        "Nutzt es in eurem nächsten Video.",
        "Den ganzen Titel gibt es über den Link in der Bio.",
    ),
    "cta.tiktok": ("Link in der Bio.", "Ton an!", "Die Musik gibt es über den Link in der Bio."),
    "cta.youtube": (
        "Abonniert den Kanal für mehr.",
        "Jetzt auf Spotify anhören.",
        "Aktiviert die Benachrichtigungen für das nächste Release.",
        "Auf Spotify streamen.",
    ),
    "recap.open.weekly": (
        "{artist}: die Woche in Zahlen.",
        "Wochenrückblick für {artist}, {from_to}.",
        "So lief die Woche für {artist}.",
        "Ein kurzer Rückblick auf {artist_gen} Woche.",
        "{artist}, die Woche im Überblick.",
    ),
    "recap.open.monthly": (
        "{artist}: der Monat in Zahlen.",
        "Monatsrückblick für {artist}, {from_to}.",
        "So lief der Monat für {artist}.",
        "Ein kurzer Rückblick auf {artist_gen} Monat.",
        "{artist}, der Monat im Überblick.",
    ),
    "streams.up": (
        "{streams} {period}, ein Plus von {pct} gegenüber {prev_unit}.",
        "Die Streams stiegen um {pct} auf {streams_n}.",
        "{period_cap} stiegen die Streams um {pct} auf {streams_n}.",
        "{streams} {period}, {pct} mehr als {prev_unit_vs}.",
    ),
    "streams.down": (
        "{streams} {period}, ein Minus von {pct} gegenüber {prev_unit}.",
        "Die Streams gingen um {pct} auf {streams_n} zurück.",
        "{period_cap} sanken die Streams um {pct} auf {streams_n}.",
    ),
    "streams.flat": (
        "{streams} {period}, so viele wie {prev_unit_vs}.",
        "Die Streams blieben stabil bei {streams_n}.",
    ),
    "streams.plain": (
        "{streams} {period}.",
        "{period_cap} kam die Musik auf {streams}.",
        "{artist} kam {period} auf {streams}.",
    ),
    "listeners.up": (
        "Die Hörerzahl stieg um {lpct} auf {listeners_n}.",
        "Das Publikum wuchs um {lpct} auf {listeners}.",
    ),
    "listeners.down": ("Die Hörerzahl sank um {lpct} auf {listeners_n}.",),
    "listeners.flat": ("Die Hörerzahl blieb stabil bei {listeners_n}.",),
    "listeners.plain": ("Aktuell {listeners}.", "Das Publikum zählt {listeners}."),
    "social.up": (
        "Auf {platform} wuchs das Publikum um {fpct} auf {followers}.",
        "{platform} gewann {fchange} dazu, insgesamt sind es {followers}.",
        "{platform}: {followers}, ein Plus von {fpct}.",
    ),
    "social.down": (
        "{platform}: {followers}, ein Minus von {fpct}.",
        "Auf {platform} sank das Publikum um {fpct}.",
    ),
    "social.flat": ("Auf {platform} blieb das Publikum stabil bei {followers}.",),
    "social.plain": ("{followers} auf {platform}.", "{platform} zählt {followers}."),
    "milestone.streams": (
        "{artist} hat am {ms_date} die Marke von {ms_dat} überschritten.",
        "Meilenstein: {ms}, erreicht am {ms_date}.",
        "Am {ms_date} knackte {artist} die Marke von {ms_dat}.",
    ),
    "milestone.followers": (
        "{artist} hat am {ms_date} auf {ms_platform} die Marke von {ms_dat} überschritten.",
        "Am {ms_date} knackte das Publikum auf {ms_platform} die Marke von {ms_dat}.",
        "Meilenstein auf {ms_platform}: {ms}, erreicht am {ms_date}.",
    ),
    "top.list": (
        "Am meisten gehört {period}: {top_list}.",
        "Die Top-Titel {period}: {top_list}.",
        "{top1} lag vorn mit {top1_streams_dat}.",
        "Der meistgestreamte Titel {period} war {top1} mit {top1_streams_dat}.",
    ),
    "top.popular": (
        "Die beliebtesten Titel: {top_list}.",
        "Die Lieblinge der Fans: {top_list}.",
        "{top1} bleibt der beliebteste Titel.",
    ),
    "playlist.added": (
        "{pl_track} ist neu in der Playlist {playlist}.",
        "Neu in {playlist}: {pl_track}.",
        "{pl_track} kam am {pl_date} in die Playlist {playlist}.",
    ),
    "playlist.removed": (
        "{pl_track} ist nicht mehr in der Playlist {playlist}.",
        "{playlist} enthält {pl_track} nicht mehr.",
    ),
    "release.recap": ("{title} erschien {on_date}.", "Neu {period_in}: {title}, {ein_rel_nom} von {artist}."),
    "recap.close": (
        "Danke fürs Zuhören!",
        "Schön, dass ihr dabei seid.",
        "Bis {next_unit}!",
        "Bald geht es weiter.",
    ),
    "milestone.open": ("Was für ein Moment!", "Danke!", "Ein großer Schritt!", "Danke euch!"),
    "milestone.thanks": (
        "Danke an alle, die zuhören.",
        "Danke für jedes Abspielen und jedes Teilen.",
        "Das habt ihr möglich gemacht.",
        "Danke an jede und jeden von euch.",
    ),
    "pl.intro": (
        "Das Beste von {artist}: {genres} aus dem Katalog.",
        "{artist_gen} {genres} an einem Ort.",
        "Das Wichtigste von {artist}.",
        "{artist}, handverlesen.",
        "Eine Auswahl von {artist} zwischen {genres}.",
        "Alles von {artist} in einer Playlist.",
    ),
    "pl.tracks": (
        "Mit {top_list}.",
        "Mit dabei: {top_list}.",
        "Startet mit {top1}.",
        "Unter anderem mit {top_list}.",
        "Zuerst reinhören: {top1}.",
    ),
    "pl.audio": ("Meist {energy_adj}.", "Rund um {tempo} und {energy_adj}.", "Rund um {tempo}."),
    "pl.latest": (
        "Neueste Veröffentlichung: {title}.",
        "Jetzt mit {title}.",
        "Aktualisiert mit {title}.",
        "Mit der neuesten Veröffentlichung, {title}.",
    ),
    "bio.intro": (
        "{artist} macht Musik zwischen {genres}.",
        "{artist} ist ein Musikprojekt zwischen {genres}.",
        "{artist} schreibt und veröffentlicht Musik zwischen {genres}.",
        "{artist}: {genres}.",
        "Das ist {artist}.",
        "Darf ich vorstellen: {artist}.",
    ),
    "bio.catalog": (
        "Bisher {n_releases} mit {n_all_tracks_dat}.",
        "Der Katalog umfasst {n_releases} mit {n_all_tracks_dat}.",
    ),
    "bio.latest": (
        "Neu: {title}.",
        "Neueste Veröffentlichung: {title}, erschienen {on_date}.",
        "Aktuell: {title}.",
    ),
    "bio.audience": ("{followers_total} auf Spotify.", "Auf Spotify: {followers_total}."),
    "press.intro": (
        "{artist} ist ein Musikprojekt, dessen Musik sich zwischen {genres} bewegt.",
        "Zwischen {genres} schreibt und veröffentlicht {artist} Musik.",
        "Das ist {artist}.",
    ),
    "press.catalog": (
        "Bisher hat {artist} {n_releases} mit insgesamt {n_all_tracks_dat} veröffentlicht.",
        "Der Katalog von {artist} umfasst {n_releases} mit {n_all_tracks_dat}.",
    ),
    "press.latest": (
        "Die neueste Veröffentlichung, {title}, erschien {on_date}.",
        "Zuletzt erschien {ein_rel_nom}: {title}, {on_date}.",
    ),
    "press.top": (
        "Die meistgehörten Titel {period} waren {top_list}.",
        "Am häufigsten kehrt das Publikum zu {top_list} zurück.",
        "Zu den beliebtesten Titeln zählen {top_list}.",
    ),
    "press.streams": ("{from_to_cap} kam die Musik auf {streams}.", "Die Musik kam {period} auf {streams}."),
    "press.social": (
        "{artist} erreicht {followers} auf {platform}.",
        "Auf {platform} zählt {artist} {followers}.",
    ),
    "press.audio": (
        "{a_title} zeigt mit {tempo} in {key} die {energy_fem} Seite dieser Musik.",
        "{a_title} läuft mit {tempo} in {key}.",
        "{a_title} zeigt die {energy_fem} Seite dieser Musik.",
    ),
    "press.close": ("Pressefotos und Musik auf Anfrage.", "Interviews und Pressematerial auf Anfrage."),
}

WORDS: dict[str, tuple[str, ...]] = {
    "energy.low": ("ruhig", "entspannt", "sanft"),
    "energy.mid": ("ausgewogen", "gleichmäßig", "gelassen"),
    "energy.high": ("energiegeladen", "intensiv", "treibend"),
    "energy_fem.low": ("ruhige", "entspannte", "sanfte"),
    "energy_fem.mid": ("ausgewogene", "gleichmäßige"),
    "energy_fem.high": ("energiegeladene", "intensive", "treibende"),
    "period.weekly": ("diese Woche", "in dieser Woche"),
    "period.monthly": ("diesen Monat", "in diesem Monat"),
    "period_in.weekly": ("in dieser Woche",),
    "period_in.monthly": ("in diesem Monat",),
    "prev_unit.weekly": ("der Vorwoche",),
    "prev_unit.monthly": ("dem Vormonat",),
    "prev_unit_vs.weekly": ("in der Vorwoche",),
    "prev_unit_vs.monthly": ("im Vormonat",),
    "next_unit.weekly": ("nächste Woche",),
    "next_unit.monthly": ("nächsten Monat",),
    "hashtags": ("#NeueMusik", "#NewMusic", "#IndieMusik", "#Spotify", "#NowPlaying"),
}
