namespace ECase.Projections.Search;

/// <summary>
/// Word parts the index splits German compounds into (<c>Bauantragsverfahren</c> → <c>bau</c>, <c>antrag</c>,
/// <c>verfahren</c>). A curated list of the vocabulary of municipal administration, not a full German lexicon: a
/// compound made of parts that are not listed is still found as a whole word and by prefix (<c>Bauantr*</c>), only not
/// by its inner parts. Extend it when clerks miss hits (it takes effect after an index rebuild).
/// </summary>
public static class CompoundDictionary
{
    public static readonly IReadOnlyList<string> Parts =
    [
        // Verwaltungsvorgänge
        "antrag", "anträge", "bescheid", "verfahren", "genehmigung", "erlaubnis", "widerspruch", "klage", "beschwerde",
        "anhörung", "anzeige", "meldung", "anmeldung", "abmeldung", "ummeldung", "verfügung", "entscheidung", "bewilligung",
        "zulassung", "prüfung", "vorlage", "beschluss", "auskunft", "einsicht", "stellungnahme", "frist", "mahnung",
        "vollstreckung", "festsetzung", "ablehnung", "rücknahme", "widerruf", "nachweis", "bescheinigung", "ausweis",
        "urkunde", "zeugnis", "vertrag", "vereinbarung", "auftrag", "rechnung", "zahlung", "erstattung", "förderung",
        "zuschuss", "zuwendung", "gebühr", "gebühren", "beitrag", "steuer", "abgabe", "kosten", "haushalt", "mittel",
        "akte", "akten", "vorgang", "schreiben", "brief", "post", "eingang", "ausgang", "protokoll", "bericht", "gutachten",
        "plan", "planung", "satzung", "ordnung", "gesetz", "recht", "verordnung", "richtlinie", "vorschrift",
        // Bauen, Umwelt, Verkehr
        "bau", "bauten", "neubau", "umbau", "anbau", "abriss", "haus", "gebäude", "wohnung", "wohn", "grund", "stück",
        "grundstück", "fläche", "garten", "dach", "keller", "garage", "zaun", "mauer", "straße", "weg", "platz", "brücke",
        "park", "wald", "wasser", "abwasser", "abfall", "müll", "lärm", "immission", "umwelt", "natur", "baum", "fällung",
        "verkehr", "fahrzeug", "kraftfahrzeug", "führerschein", "park", "parkplatz", "sondernutzung", "nutzung", "änderung",
        "denkmal", "schutz", "brand", "feuer", "energie", "heizung", "solar", "strom", "gas", "netz",
        // Soziales, Ordnung, Personen
        "sozial", "hilfe", "leistung", "unterhalt", "kinder", "kind", "jugend", "schule", "kita", "betreuung", "pflege",
        "renten", "rente", "arbeit", "arbeits", "beruf", "gewerbe", "betrieb", "gaststätte", "markt", "händler",
        "ordnungs", "amt", "behörde", "verwaltung", "stadt", "gemeinde", "kreis", "land", "bund", "bürger", "person",
        "name", "namens", "familie", "ehe", "geburt", "sterbe", "melde", "pass", "personal", "daten", "schutz",
        "aufenthalt", "einbürgerung", "staatsangehörigkeit", "wahl", "versammlung", "veranstaltung", "fest", "sport",
        "kultur", "musik", "hund", "tier", "jagd", "fisch", "waffen", "sprengstoff", "sicherheit", "gefahr",
        // Zeit, Zahl, Allgemeines
        "jahr", "jahres", "monat", "tag", "termin", "zeit", "nummer", "zeichen", "akten", "register", "verzeichnis",
        "liste", "angabe", "änderungs", "verlängerung", "erweiterung", "erneuerung", "ersatz", "neu", "alt",
    ];
}
