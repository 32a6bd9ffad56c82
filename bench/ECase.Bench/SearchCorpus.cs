using System.Globalization;
using System.Text;
using ECase.Domain.Common;
using ECase.Projections.Search;

namespace ECase.Bench;

/// <summary>One generated document of the search benchmark, with what both engines index.</summary>
public sealed record CorpusDocument(IndexEntry Entry, string Body)
{
    /// <summary>Reference, file title, case title, subject and sender, as the index's meta field holds them.</summary>
    public string Meta => string.Join('\n', Entry.Reference, Entry.FileTitle, Entry.CaseTitle, Entry.Submissions[0].Subject, Entry.Submissions[0].Sender);
}

/// <summary>A benchmark query: the text for ECase's search box and the equivalent PostgreSQL tsquery.</summary>
public sealed record BenchQuery(string Class, string Lucene, string PgFunction, string PgText);

/// <summary>
/// A seeded, reproducible corpus of German-like administrative documents. Document i is generated from (seed, i) alone,
/// so both engines get the same text without holding the corpus in memory. Words come from a mix of German stop words
/// (25 %), a few hundred real administrative words with umlauts, ß and compounds (30 %, Zipf-distributed in list order),
/// a synthetic German-like vocabulary (45 %, Zipf over 100,000 words) and fixed collocations for the phrase queries.
/// </summary>
public sealed class SearchCorpus
{
    public const int SyntheticWords = 100_000;
    public const int MinWords = 300;
    public const int MaxWords = 2000;

    public static readonly string[] OrgUnits = ["HA", "OA", "BA", "SA", "UA", "KA", "JA", "FA"];

    /// <summary>Real administrative words; their position is their Zipf rank (the first are in every document,
    /// those from about 60 to 200 in 30–70 % of the documents).</summary>
    public static readonly string[] RealWords =
    [
        // very common (rank 1-40)
        "Antrag", "Bescheid", "Verfahren", "Stadt", "Gemeinde", "Behörde", "Grundstück", "Frist", "Schreiben", "Verwaltung",
        "Genehmigung", "Unterlagen", "Prüfung", "Entscheidung", "Anlage", "Straße", "Eigentümer", "Antragsteller", "Vorgang", "Akte",
        "Gebühren", "Stellungnahme", "Bauantrag", "Zustimmung", "Anhörung", "Sachbearbeiter", "Auskunft", "Nachweis", "Zuständigkeit", "Verfügung",
        "Bürgermeister", "Landkreis", "Änderung", "Rechtsgrundlage", "Aktenzeichen", "Bearbeitung", "Mitteilung", "Unterschrift", "Eingang", "Rückfrage",
        // common (rank 41-120)
        "Baugenehmigung", "Widerspruch", "Bauanträge", "Ordnungsamt", "Bauamt", "Gebührenbescheid", "Bebauungsplan", "Flurstück", "Gemarkung", "Nutzungsänderung",
        "Schließung", "Größe", "Maßnahme", "Gemäß", "Bußgeld", "Zuschuss", "Förderung", "Erstattung", "Vollziehung", "Sicherheit",
        "Öffentlichkeit", "Anordnung", "Auflagen", "Bedingungen", "Beteiligung", "Nachbarn", "Abstandsfläche", "Stellplätze", "Brandschutz", "Statik",
        "Bauvorlage", "Bauanzeige", "Bauanfrage", "Bauaufsicht", "Bauherr", "Architekt", "Lageplan", "Grundriss", "Ansicht", "Schnitt",
        "Gewerbeanmeldung", "Gewerbe", "Gaststätte", "Erlaubnis", "Konzession", "Veranstaltung", "Sondernutzung", "Straßenreinigung", "Winterdienst", "Müllabfuhr",
        "Abwassergebühren", "Grundsteuer", "Hundesteuer", "Zweitwohnungsteuer", "Vergnügungssteuer", "Kämmerei", "Haushalt", "Haushaltsplan", "Rechnungsprüfung", "Zahlung",
        "Mahnung", "Vollstreckung", "Stundung", "Erlass", "Säumniszuschlag", "Überweisung", "Kassenzeichen", "Einwohnermeldeamt", "Anmeldung", "Ummeldung",
        "Abmeldung", "Meldebescheinigung", "Personalausweis", "Reisepass", "Führungszeugnis", "Standesamt", "Geburtsurkunde", "Eheschließung", "Sterbeurkunde", "Namensänderung",
        // broad (rank 121-220)
        "Jugendamt", "Kindertagesstätte", "Betreuung", "Unterhalt", "Vormundschaft", "Sozialamt", "Grundsicherung", "Wohngeld", "Wohnberechtigungsschein", "Eingliederungshilfe",
        "Pflege", "Pflegegrad", "Heimaufsicht", "Gesundheitsamt", "Hygiene", "Trinkwasser", "Infektionsschutz", "Belehrung", "Impfung", "Schuleingangsuntersuchung",
        "Umweltamt", "Naturschutz", "Baumfällung", "Baumschutzsatzung", "Ausgleichsfläche", "Lärmschutz", "Immissionsschutz", "Bodenschutz", "Altlasten", "Gewässer",
        "Straßenverkehrsbehörde", "Verkehrszeichen", "Parkausweis", "Anwohnerparken", "Halteverbot", "Umleitung", "Baustelle", "Absperrung", "Fahrerlaubnis", "Führerschein",
        "Zulassungsstelle", "Kennzeichen", "Fahrzeug", "Stilllegung", "Feuerwehr", "Brandverhütungsschau", "Rettungsweg", "Katastrophenschutz", "Ausländerbehörde", "Aufenthaltstitel",
        "Einbürgerung", "Staatsangehörigkeit", "Niederlassungserlaubnis", "Duldung", "Asylbewerber", "Unterkunft", "Wahlamt", "Wahlbenachrichtigung", "Briefwahl", "Wählerverzeichnis",
        "Friedhof", "Grabstelle", "Nutzungsrecht", "Bestattung", "Denkmalschutz", "Denkmalpflege", "Baudenkmal", "Sanierung", "Modernisierung", "Instandsetzung",
        "Vergabe", "Ausschreibung", "Angebot", "Zuschlag", "Auftragnehmer", "Rechnung", "Abnahme", "Gewährleistung", "Mängelrüge", "Schlussrechnung",
        "Personalamt", "Stellenausschreibung", "Bewerbung", "Einstellung", "Arbeitsvertrag", "Dienstreise", "Urlaubsantrag", "Beurteilung", "Fortbildung", "Versetzung",
        "Ratssitzung", "Ausschuss", "Beschlussvorlage", "Niederschrift", "Tagesordnung", "Fraktion", "Anfrage", "Beschluss", "Satzung", "Verordnung",
        // less common (rank 221-)
        "Dachgaube", "Carport", "Gartenhaus", "Einfriedung", "Stützmauer", "Terrassenüberdachung", "Wintergarten", "Photovoltaikanlage", "Wärmepumpe", "Ladesäule",
        "Außengastronomie", "Straßenfest", "Weihnachtsmarkt", "Flohmarkt", "Sperrzeitverkürzung", "Spielhalle", "Schankerlaubnis", "Reisegewerbe", "Marktplatz", "Fußgängerzone",
        "Grünfläche", "Spielplatz", "Sportplatz", "Schwimmbad", "Bürgerhaus", "Dorfgemeinschaftshaus", "Feuerwehrhaus", "Bauhof", "Kläranlage", "Wasserwerk",
        "Erschließung", "Erschließungsbeitrag", "Straßenausbaubeitrag", "Anliegerbeitrag", "Vorkaufsrecht", "Grundbuch", "Baulast", "Teilungsgenehmigung", "Vermessung", "Katasteramt",
        "Überschwemmungsgebiet", "Hochwasserschutz", "Regenrückhaltebecken", "Kanalanschluss", "Hausanschluss", "Grundstücksentwässerung", "Zisterne", "Versickerung", "Straßenbeleuchtung", "Gehweg",
        "Radweg", "Bushaltestelle", "Querungshilfe", "Tempolimit", "Geschwindigkeitsmessung", "Verwarnungsgeld", "Ordnungswidrigkeit", "Anhörungsbogen", "Zeugenfragebogen", "Fahrtenbuch",
        "Schülerbeförderung", "Schulentwicklungsplan", "Ganztagsbetreuung", "Elternbeitrag", "Kitaplatz", "Tagespflege", "Jugendzentrum", "Jugendschutz", "Spielplatzprüfung", "Seniorenbeirat",
        "Integrationsbeauftragte", "Gleichstellungsbeauftragte", "Datenschutzbeauftragte", "Personalrat", "Schwerbehindertenvertretung", "Dienstvereinbarung", "Geschäftsverteilungsplan", "Organisationsverfügung", "Zeichnungsbefugnis", "Aktenplan",
    ];

    /// <summary>Words that occur only a handful of times in the whole corpus (selective queries).</summary>
    public static readonly string[] RareWords =
    [
        "Sprengstofferlaubnis", "Fischereischein", "Taubenfütterungsverbot", "Glücksspielkonzession", "Straußenhaltung", "Böllerschießen",
        "Weißtannenfällung", "Schornsteinfegerbescheid",
    ];

    /// <summary>Collocations (Zipf in list order) that the phrase queries look for; their words also occur on their own.</summary>
    public static readonly string[] Collocations =
    [
        "öffentliche Sicherheit", "sofortige Vollziehung", "aufschiebende Wirkung", "rechtliches Gehör", "untere Bauaufsichtsbehörde",
        "Antrag fristgerecht eingegangen", "Antrag abgelehnt", "Bescheid zugestellt", "Gebühren festgesetzt", "Unterlagen nachgereicht",
        "Stellungnahme abgegeben", "Frist verlängert", "Genehmigung erteilt", "Widerspruch zurückgewiesen", "Auflagen erfüllt",
        "Grundstück vermessen", "Eigentümer benachrichtigt", "Zahlung eingegangen", "Akte abgeschlossen", "Vorgang weitergeleitet",
        "öffentliche Bekanntmachung", "förmliche Zustellung", "gebührenpflichtige Verwarnung", "vorläufige Einstellung", "besondere Härte",
        "erhebliche Belästigung", "ordnungsgemäße Entsorgung", "bauliche Anlage", "städtebauliche Entwicklung", "planungsrechtliche Zulässigkeit",
    ];

    private static readonly string[] StopWords =
    [
        "der", "die", "das", "und", "in", "zu", "den", "mit", "von", "für", "ist", "auf", "im", "dem", "nicht", "ein", "eine", "als",
        "auch", "es", "an", "wird", "aus", "bei", "nach", "über", "vom", "zur", "zum", "wurde", "sind", "wir", "Sie", "Ihr", "Ihre", "bitte",
    ];

    private static readonly string[] Adjectives =
    [
        "geplante", "beantragte", "bestehende", "neue", "öffentliche", "förmliche", "vorläufige", "endgültige", "zuständige", "städtische",
    ];

    private static readonly string[] FirstNames = ["Anna", "Jürgen", "Jörg", "Käthe", "Günther", "Sören", "Maria", "Thomas", "Özlem", "Björn", "Hans", "Grete"];

    private static readonly string[] LastNames = ["Müller", "Schäfer", "Weiß", "Groß", "Köhler", "Schröder", "Bäcker", "Meißner", "Krüger", "Hoffmann", "Schulz", "Strauß"];

    private readonly int _seed;
    private readonly string[] _synthetic;
    private readonly double[] _syntheticCdf;
    private readonly double[] _realCdf;
    private readonly double[] _collocationCdf;
    private readonly (string Code, string Title)[] _plans;

    public SearchCorpus(int seed)
    {
        _seed = seed;
        _synthetic = Synthesize(new Random(seed), SyntheticWords);
        _syntheticCdf = ZipfCdf(SyntheticWords, 1.0);
        _realCdf = ZipfCdf(RealWords.Length, 1.0);
        _collocationCdf = ZipfCdf(Collocations.Length, 1.0);
        var rng = new Random(seed + 1);
        _plans = [.. Enumerable.Range(0, 40).Select(i => (
            string.Create(CultureInfo.InvariantCulture, $"{10 + i % 9 * 10 + rng.Next(10)}.{rng.Next(1, 40):00}.{rng.Next(1, 20):00}"),
            $"{RealWords[rng.Next(20, 120)]} und {RealWords[rng.Next(20, 200)]}")).DistinctBy(p => p.Item1)];
    }

    public int Seed => _seed;

    /// <summary>Synthetic word at Zipf rank r (1-based).</summary>
    public string Synthetic(int rank) => _synthetic[rank - 1];

    /// <summary>Document i of the corpus; the same (seed, i) always gives the same document.</summary>
    public CorpusDocument Document(int i)
    {
        // System.Random(int) is reproducible across runs and platforms; HashCode.Combine is not (randomised per process).
        var rng = new Random(DocumentSeed(_seed, i));
        var ids = 0;
        Guid Id() => new(i, (short)++ids, (short)(_seed & 0x7fff), [0x5e, 0xa4, 0xc8, 0, 0, 0, 0, 1]);
        var orgUnit = OrgUnits[rng.Next(OrgUnits.Length)];
        var c = rng.NextDouble();
        var conf = c < 0.6 ? Confidentiality.Open : c < 0.85 ? Confidentiality.Restricted : c < 0.95 ? Confidentiality.Confidential : (Confidentiality)3;
        var plan = _plans[rng.Next(_plans.Length)];
        var year = 2019 + rng.Next(8);
        var reference = string.Create(CultureInfo.InvariantCulture, $"{orgUnit}-{plan.Code}-{rng.Next(1, 3000):0000}/{year}");
        var date = new DateTimeOffset(year, 1, 1, 8, 0, 0, TimeSpan.Zero).AddDays(rng.Next(365)).AddMinutes(rng.Next(600));
        var fileTitle = $"{Real(rng)} {Real(rng)}";
        var caseTitle = $"{Real(rng)} {Name(rng)}";
        var title = $"{Adjectives[rng.Next(Adjectives.Length)]} {Real(rng)} {Real(rng)}";
        var sender = Name(rng);
        var subject = $"{Real(rng)} vom {date:dd.MM.yyyy}";

        var words = rng.Next(MinWords, MaxWords + 1);
        var pageCount = 1 + Math.Min(3, words / 500);
        pageCount = rng.Next(1, pageCount + 1);
        var perPage = words / pageCount;
        var pages = new string[pageCount];
        var sb = new StringBuilder(words * 10);
        for (var p = 0; p < pageCount; p++)
        {
            sb.Clear();
            var n = p == pageCount - 1 ? words - perPage * (pageCount - 1) : perPage;
            Sentences(rng, sb, n);
            pages[p] = sb.ToString();
        }

        var entry = new IndexEntry
        {
            Id = IndexEntry.DocumentKey(Id()),
            Kind = EntryKind.Document,
            FileId = Id(),
            CaseId = Id(),
            DocumentId = Id(),
            OrgUnit = orgUnit,
            Confidentiality = conf,
            Reference = reference,
            PlanUnitId = Id(),
            PlanCode = plan.Code,
            PlanTitle = plan.Title,
            Title = title,
            FileTitle = fileTitle,
            CaseTitle = caseTitle,
            Submissions = [new IndexedSubmission(Id(), subject, sender, rng.Next(3) == 0 ? "post" : "email", date)],
            Date = date,
            Scanned = rng.Next(3) == 0,
            MediaType = "application/pdf",
            FileName = $"dokument-{i}.pdf",
            Version = 1,
            TextVersion = 1,
            Pages = pages,
        };
        return new CorpusDocument(entry, string.Join("\n\n", pages));
    }

    private void Sentences(Random rng, StringBuilder sb, int words)
    {
        var written = 0;
        while (written < words)
        {
            var length = Math.Min(words - written, rng.Next(6, 15));
            var collocationAt = rng.NextDouble() < 0.3 ? rng.Next(length) : -1;
            for (var w = 0; w < length; w++)
            {
                if (w > 0) sb.Append(' ');
                if (w == collocationAt)
                {
                    var col = Collocations[Sample(_collocationCdf, rng)];
                    sb.Append(col);
                    written += col.Count(ch => ch == ' ');
                    continue;
                }

                var r = rng.NextDouble();
                if (r < 0.25) sb.Append(StopWords[rng.Next(StopWords.Length)]);
                else if (r < 0.55) sb.Append(RealWords[Sample(_realCdf, rng)]);
                else if (r < 0.55 + 2e-6) sb.Append(RareWords[rng.Next(RareWords.Length)]);
                else sb.Append(_synthetic[Sample(_syntheticCdf, rng)]);
            }

            sb.Append(". ");
            written += length;
        }
    }

    private string Real(Random rng) => RealWords[Sample(_realCdf, rng)];

    private static string Name(Random rng) => $"{FirstNames[rng.Next(FirstNames.Length)]} {LastNames[rng.Next(LastNames.Length)]}";

    /// <summary>SplitMix64 of (seed, i), folded to a non-negative int (Random treats s and -s alike).</summary>
    private static int DocumentSeed(int seed, int i)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)i) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7fffffff);
    }

    private static int Sample(double[] cdf, Random rng)
    {
        var i = Array.BinarySearch(cdf, rng.NextDouble());
        return Math.Min(i < 0 ? ~i : i, cdf.Length - 1);
    }

    private static double[] ZipfCdf(int n, double s)
    {
        var cdf = new double[n];
        var sum = 0.0;
        for (var r = 1; r <= n; r++) cdf[r - 1] = sum += 1 / Math.Pow(r, s);
        for (var r = 0; r < n; r++) cdf[r] /= sum;
        return cdf;
    }

    /// <summary>German-looking words from syllables (some with umlauts and ß), unique, none a real word.</summary>
    private static string[] Synthesize(Random rng, int count)
    {
        string[] onsets = ["b", "br", "d", "f", "fl", "g", "gr", "h", "k", "kl", "l", "m", "n", "p", "pf", "r", "s", "sch", "schw", "st", "t", "tr", "w", "z"];
        string[] vowels = ["a", "e", "i", "o", "u", "ä", "ö", "ü", "au", "ei", "ie", "e", "a"];
        string[] codas = ["", "", "n", "r", "l", "s", "t", "ch", "ck", "ng", "nd", "rt", "ß", "lt", "m"];
        string[] suffixes = ["", "", "", "ung", "keit", "heit", "schaft", "en", "er", "lich", "ig", "nis"];
        var seen = new HashSet<string>(RealWords.Concat(RareWords).Concat(StopWords).Select(w => w.ToLowerInvariant()));
        var result = new string[count];
        var sb = new StringBuilder();
        for (var i = 0; i < count;)
        {
            sb.Clear();
            var syllables = rng.Next(1, 4) + (rng.Next(3) == 0 ? 1 : 0);
            for (var s = 0; s < syllables; s++) sb.Append(onsets[rng.Next(onsets.Length)]).Append(vowels[rng.Next(vowels.Length)]).Append(codas[rng.Next(codas.Length)]);
            sb.Append(suffixes[rng.Next(suffixes.Length)]);
            if (sb.Length < 4) continue;
            var word = sb.ToString();
            if (!seen.Add(word)) continue;
            if (rng.Next(2) == 0) word = char.ToUpperInvariant(word[0]) + word[1..];
            result[i++] = word;
        }

        return result;
    }

    /// <summary>The fixed query set: several queries per class (selective, broad, phrase, prefix).</summary>
    public IReadOnlyList<BenchQuery> Queries(int docs)
    {
        var list = new List<BenchQuery>();
        // selective: deep in the synthetic tail (about 1 in 1,000 documents at any corpus size), rare real words, a reference number
        foreach (var rank in new[] { 30_000, 45_000, 60_000, 75_000, 90_000 })
        {
            var w = Synthetic(rank);
            list.Add(new BenchQuery("selective", w, "websearch_to_tsquery", w));
        }

        foreach (var w in RareWords.Take(3)) list.Add(new BenchQuery("selective", w, "websearch_to_tsquery", w));
        var reference = Document(Math.Min(docs - 1, 1234)).Entry.Reference;
        list.Add(new BenchQuery("selective", $"\"{reference}\"", "websearch_to_tsquery", reference));

        // broad: real words of Zipf rank ~60-200 (30-70 % of the documents) and one AND of two of them
        foreach (var w in new[] { "Schließung", "Bauanzeige", "Gewerbe", "Mahnung", "Jugendamt", "Naturschutz", "Feuerwehr", "Friedhof" })
            list.Add(new BenchQuery("broad", w, "websearch_to_tsquery", w));
        list.Add(new BenchQuery("broad", "Bauherr Lageplan", "websearch_to_tsquery", "Bauherr Lageplan"));

        // phrases: collocations of two or three common words
        foreach (var c in new[] { "sofortige Vollziehung", "rechtliches Gehör", "Bescheid zugestellt", "Frist verlängert", "Genehmigung erteilt", "untere Bauaufsichtsbehörde", "Antrag fristgerecht eingegangen" })
            list.Add(new BenchQuery("phrase", $"\"{c}\"", "websearch_to_tsquery", $"\"{c}\""));

        // prefixes
        foreach (var p in new[] { "Bauan", "Genehm", "Straß", "Widerspr", "Grundst", "Gebühr", "Verwalt" })
            list.Add(new BenchQuery("prefix", p + "*", "to_tsquery", p + ":*"));
        return list;
    }

    public static readonly string[] Classes = ["selective", "broad", "phrase", "prefix"];
}
