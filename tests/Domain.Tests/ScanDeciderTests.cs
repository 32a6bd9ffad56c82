using ECase.Domain.Cases;
using ECase.Domain.Scanning;
using static ECase.Domain.Tests.Fixtures;

namespace ECase.Domain.Tests;

public sealed class ScanDeciderTests() : DeciderSpec<Case, ScanCommand>(Case.Evolve, ScanDecider.Decide)
{
    private static readonly Guid CaseId = Id(101);
    private static readonly Guid FileId = Id(10);
    private static readonly Guid SubmissionId = Id(200);
    private static readonly Guid ScanId = Id(3001);
    private static readonly Guid PlainDocId = Id(1001);

    private static readonly CaseOpened Opened = new(CaseId, FileId, "Bauantrag Müller", "HA", Clerk, Now);
    private static readonly CaseClosed Closed = new(CaseId, FileId, Clerk, Later);

    private static readonly DateTimeOffset CapturedAt = Now.AddMinutes(-30);

    /// <summary>A protocol that passes every rule: the original may be destroyed after a waiting period.</summary>
    private static readonly ScanProtocol Protocol = new(
        "m.meier", "Fujitsu fi-7160", "A4 300 dpi grau", 300, ColourMode.Grayscale, CapturedAt, 3, ProtectionNeed.Normal,
        OriginalMayBeDestroyed: true, DestroyOriginalAfter: new DateOnly(2026, 9, 14));

    /// <summary>A protocol whose original is kept, as a rejected quality check requires.</summary>
    private static readonly ScanProtocol KeepOriginal = Protocol with { OriginalMayBeDestroyed = false, DestroyOriginalAfter = null };

    private static readonly QualityCheck Passed = new("k.schulz", true, null);
    private static readonly QualityCheck Failed = new("k.schulz", false, "Seite 2 unleserlich");

    private static readonly ContentRef TextRef = new(Sha(50), 4242, "application/vnd.ecase.text+json", "scan.txt.json");
    private static readonly ContentRef PdfA = new(Sha(60), 9000, "application/pdf", "Grundbuchauszug.pdf");

    private static readonly OcrPageInfo[] ThreePages =
    [
        new(1, 0.25f, 0.4, 310),
        new(2, 0.25f, -1.5, 12),
        new(3, 1.0f, 0.0, 180),
    ];

    private static ContentRef Image(int seed = 1, string mediaType = "image/tiff", string fileName = "scan.tif") =>
        new(Sha(seed), 1000 + seed, mediaType, fileName);

    private static ScanCommand.Record RecordScan(
        string title = "Grundbuchauszug", ContentRef? image = null, ScanProtocol? protocol = null, QualityCheck? quality = null,
        string language = "deu", Guid? documentId = null) =>
        new(documentId ?? ScanId, title, image ?? Image(), protocol ?? Protocol, quality ?? Passed, language);

    private static ScanCommand.Record RecordWith(ScanProtocol protocol) => RecordScan(protocol: protocol);

    /// <summary>A scan with this quality check; the original is kept unless the protocol says otherwise.</summary>
    private static ScanCommand.Record RecordWith(QualityCheck quality, ScanProtocol? protocol = null) =>
        RecordScan(quality: quality, protocol: protocol ?? KeepOriginal);

    private static DocumentScanned Scanned(ScanProtocol? protocol = null) =>
        new(CaseId, ScanId, "Grundbuchauszug", Image(), protocol ?? Protocol, "deu", Clerk, Now);

    private static ScanQualityChecked Checked(QualityCheck? check = null) => new(CaseId, ScanId, check ?? Passed, Clerk, Now);

    /// <summary>A scan that passed its quality check, ready for text recognition.</summary>
    private static object[] GoodScan => [Opened, Scanned(), Checked()];

    /// <summary>A scan that failed its quality check: it gets no text and no rendition.</summary>
    private static object[] BadScan => [Opened, Scanned(KeepOriginal), Checked(Failed)];

    /// <summary>A document that arrived with a submission, not by scanning.</summary>
    private static object[] PlainDocument =>
    [
        Opened,
        new SubmissionReceived(CaseId, SubmissionId, SubmissionChannel.Email, null, Now, "Bauantrag", [PlainDocId], Clerk, Now),
        new DocumentAdded(CaseId, PlainDocId, "Anlage 1", SubmissionId, Content(1), Clerk, Now),
    ];

    private static object[] With(object[] history, params object[] more) => [.. history, .. more];

    private static ScanCommand.CompleteOcr Complete(
        Guid? documentId = null, int version = 1, IReadOnlyList<OcrPageInfo>? pages = null, string language = "deu") =>
        new(documentId ?? ScanId, version, language, pages ?? ThreePages, TextRef);

    private static OcrCompleted OcrDone(float meanConfidence = 0.5f, IReadOnlyList<OcrPageInfo>? pages = null) =>
        new(CaseId, ScanId, 1, "deu", meanConfidence, pages ?? ThreePages, TextRef, Clerk, Now);

    private static ScanCommand.FailOcr Fail(Guid? documentId = null, int version = 1) =>
        new(documentId ?? ScanId, version, "ocr-page-unreadable", "Page 2: no text found", [2, 3]);

    private static OcrFailed OcrFail() => new(CaseId, ScanId, 1, "ocr-page-unreadable", "Page 2: no text found", [2, 3], Clerk, Now);

    private static ScanCommand.AddRendition Rendition(
        Guid? documentId = null, int version = 1, string format = "PDF/A-2b", ContentRef? content = null) =>
        new(documentId ?? ScanId, version, format, content ?? PdfA);

    private static RenditionCreated RenditionAdded(Guid? documentId = null, int version = 1, string format = "PDF/A-2b") =>
        new(CaseId, documentId ?? ScanId, version, format, PdfA, Clerk, Now);

    // ---- record a scan ----

    [Fact]
    public void Recording_a_scan_records_the_document_then_its_quality_check()
    {
        Given(Opened)
            .When(RecordScan(language: "deu+eng"), LaterCtx)
            .Then(
                new DocumentScanned(CaseId, ScanId, "Grundbuchauszug", Image(), Protocol, "deu+eng", Registrar, Later),
                new ScanQualityChecked(CaseId, ScanId, Passed, Registrar, Later));
    }

    [Fact]
    public void Title_checker_and_reason_are_trimmed()
    {
        Given(Opened)
            .When(RecordScan(title: "  Grundbuchauszug   ", quality: new QualityCheck("  k.schulz ", false, "  Seite 2 unleserlich  "), protocol: KeepOriginal))
            .Then(
                new DocumentScanned(CaseId, ScanId, "Grundbuchauszug", Image(), KeepOriginal, "deu", Clerk, Now),
                new ScanQualityChecked(CaseId, ScanId, new QualityCheck("k.schulz", false, "Seite 2 unleserlich"), Clerk, Now));
    }

    [Fact]
    public void The_reason_of_a_passed_check_is_kept_trimmed()
    {
        var events = Given(Opened).When(RecordScan(quality: new QualityCheck("k.schulz", true, " leichte Schräglage "))).Accepted();

        Assert.Equal(new QualityCheck("k.schulz", true, "leichte Schräglage"), Assert.IsType<ScanQualityChecked>(events[1]).Check);
    }

    [Fact]
    public void A_scanned_document_is_version_1_with_the_image_waiting_for_text_recognition()
    {
        var state = Given(Opened).When(RecordScan(), LaterCtx).Then(
            new DocumentScanned(CaseId, ScanId, "Grundbuchauszug", Image(), Protocol, "deu", Registrar, Later),
            new ScanQualityChecked(CaseId, ScanId, Passed, Registrar, Later))!;

        var doc = state.Documents[ScanId];
        Assert.Equal(ScanId, doc.Id);
        Assert.Equal("Grundbuchauszug", doc.Title);
        Assert.Null(doc.SubmissionId);
        Assert.Equal(new ScanInfo(Protocol, "deu", Passed), doc.Scan);
        var v1 = Assert.Single(doc.Versions);
        Assert.Equal(new DocumentVersion(1, Image(), Registrar.UserId, Later), v1 with { Ocr = OcrState.NotApplicable });
        Assert.Equal(OcrState.Pending, v1.Ocr);
        Assert.Null(v1.Text);
        Assert.Empty(v1.Renditions);
    }

    [Fact]
    public void A_scan_that_failed_its_quality_check_gets_no_text_recognition()
    {
        var state = Given(Opened).When(RecordWith(Failed)).Then(
            new DocumentScanned(CaseId, ScanId, "Grundbuchauszug", Image(), KeepOriginal, "deu", Clerk, Now),
            new ScanQualityChecked(CaseId, ScanId, Failed, Clerk, Now))!;

        var doc = state.Documents[ScanId];
        Assert.Equal(new ScanInfo(KeepOriginal, "deu", Failed), doc.Scan);
        Assert.Equal(OcrState.NotApplicable, Assert.Single(doc.Versions).Ocr);
        Assert.Equal(Image(), doc.Latest.Content);
    }

    [Fact]
    public void A_scan_waits_for_text_recognition_before_its_quality_check_is_recorded()
    {
        var doc = Fold(Opened, Scanned())!.Documents[ScanId];

        Assert.Equal(new ScanInfo(Protocol, "deu", null), doc.Scan);
        Assert.Equal(OcrState.Pending, doc.Latest.Ocr);
    }

    [Fact]
    public void A_scan_sits_next_to_the_documents_of_submissions()
    {
        var state = Given(PlainDocument).When(RecordScan()).Then(Scanned(), Checked())!;

        Assert.Equal([PlainDocId, ScanId], state.Documents.Keys.Order());
        Assert.Null(state.Documents[PlainDocId].Scan);
        Assert.Equal(OcrState.NotApplicable, state.Documents[PlainDocId].Latest.Ocr);
    }

    [Fact]
    public void Recording_a_scan_in_a_closed_case_is_rejected()
    {
        Given(Opened, Closed).When(RecordScan()).ThenRejected(CaseRejections.CaseClosed);
    }

    [Fact]
    public void Recording_a_scan_with_the_id_of_a_scanned_document_is_rejected()
    {
        Given(GoodScan).When(RecordScan(image: Image(2))).ThenRejected(CaseRejections.DuplicateDocument);
    }

    [Fact]
    public void Recording_a_scan_with_the_id_of_a_submitted_document_is_rejected()
    {
        Given(PlainDocument).When(RecordScan(documentId: PlainDocId)).ThenRejected(CaseRejections.DuplicateDocument);
    }

    [Theory]
    [InlineData("", "document-title-required")]
    [InlineData("   ", "document-title-required")]
    [InlineData(null, "document-title-required")]
    [InlineData("Grund\nbuch", "document-title-invalid")]
    [InlineData("Grundbuch\u0000", "document-title-invalid")]
    public void Recording_a_scan_with_a_bad_title_is_rejected(string? title, string code)
    {
        Given(Opened).When(RecordScan(title: title!)).ThenRejected(code);
    }

    [Fact]
    public void Recording_a_scan_with_a_title_over_500_characters_is_rejected()
    {
        Given(Opened).When(RecordScan(title: new string('g', 501))).ThenRejected("document-title-too-long");
    }

    [Fact]
    public void Recording_a_scan_with_a_title_of_500_characters_is_accepted()
    {
        var title = new string('g', 500);
        var events = Given(Opened).When(RecordScan(title: title)).Accepted();

        Assert.Equal(title, Assert.IsType<DocumentScanned>(events[0]).Title);
    }

    [Theory]
    [InlineData("../scan.tif")]
    [InlineData("a/b.tif")]
    [InlineData("C:\\scan.tif")]
    [InlineData("")]
    [InlineData(" scan.tif")]
    public void Recording_a_scan_whose_image_has_a_path_for_a_name_is_rejected(string fileName)
    {
        Given(Opened).When(RecordScan(image: Image(fileName: fileName))).ThenRejected(ContentRef.InvalidFileName);
    }

    [Fact]
    public void Recording_a_scan_whose_image_has_an_invalid_hash_or_size_is_rejected()
    {
        Given(Opened).When(RecordScan(image: Image() with { Sha256 = "nothex" })).ThenRejected(ContentRef.InvalidHash);
        Given(Opened).When(RecordScan(image: Image() with { Sha256 = Sha(1).ToUpperInvariant() })).ThenRejected(ContentRef.InvalidHash);
        Given(Opened).When(RecordScan(image: Image() with { Size = -1 })).ThenRejected(ContentRef.InvalidContent);
        Given(Opened).When(RecordScan(image: Image(mediaType: " "))).ThenRejected(ContentRef.InvalidContent);
    }

    [Theory]
    [InlineData("image/tiff")]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    [InlineData("application/pdf")]
    public void A_scan_may_be_a_TIFF_PNG_JPEG_or_a_scanners_image_only_PDF(string mediaType)
    {
        Given(Opened).When(RecordScan(image: Image(mediaType: mediaType))).Accepted();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("image/gif")]
    [InlineData("image/bmp")]
    [InlineData("application/octet-stream")]
    public void Recording_a_scan_that_is_not_an_image_or_a_scanner_pdf_is_rejected(string mediaType)
    {
        Given(Opened).When(RecordScan(image: Image(mediaType: mediaType))).ThenRejected(ScanRejections.ImageTypeNotScannable);
    }

    [Theory]
    [InlineData("image/tiff")]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    public void Recording_a_tiff_png_or_jpeg_scan_is_accepted(string mediaType)
    {
        var image = Image(mediaType: mediaType);
        var events = Given(Opened).When(RecordScan(image: image)).Accepted();

        Assert.Equal(image, Assert.IsType<DocumentScanned>(events[0]).Image);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Recording_a_scan_without_operator_is_rejected(string? who)
    {
        Given(Opened).When(RecordWith(Protocol with { Operator = who! })).ThenRejected(ScanRejections.OperatorRequired);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\t")]
    [InlineData(null)]
    public void Recording_a_scan_without_device_is_rejected(string? device)
    {
        Given(Opened).When(RecordWith(Protocol with { Device = device! })).ThenRejected(ScanRejections.DeviceRequired);
    }

    [Theory]
    [InlineData(74)]
    [InlineData(1201)]
    [InlineData(0)]
    [InlineData(-300)]
    public void Recording_a_scan_with_a_resolution_outside_75_to_1200_dpi_is_rejected(int dpi)
    {
        Given(Opened).When(RecordWith(Protocol with { ResolutionDpi = dpi })).ThenRejected(ScanRejections.ResolutionInvalid);
    }

    [Theory]
    [InlineData(75)]
    [InlineData(1200)]
    public void Recording_a_scan_with_a_resolution_of_75_or_1200_dpi_is_accepted(int dpi)
    {
        var protocol = Protocol with { ResolutionDpi = dpi };

        Given(Opened).When(RecordWith(protocol)).Then(Scanned(protocol), Checked());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(2001)]
    public void Recording_a_scan_with_a_page_count_outside_1_to_2000_is_rejected(int pages)
    {
        Given(Opened).When(RecordWith(Protocol with { PageCount = pages })).ThenRejected(ScanRejections.PageCountInvalid);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2000)]
    public void Recording_a_scan_of_1_or_2000_pages_is_accepted(int pages)
    {
        var protocol = Protocol with { PageCount = pages };

        Given(Opened).When(RecordWith(protocol)).Then(Scanned(protocol), Checked());
    }

    [Fact]
    public void Recording_a_scan_captured_more_than_5_minutes_in_the_future_is_rejected()
    {
        Given(Opened)
            .When(RecordWith(Protocol with { CapturedAt = Now + TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1) }))
            .ThenRejected(ScanRejections.CapturedInFuture);
        Given(Opened)
            .When(RecordWith(Protocol with { CapturedAt = Now.AddDays(1) }))
            .ThenRejected(ScanRejections.CapturedInFuture);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(299)]
    [InlineData(300)]
    public void Recording_a_scan_captured_slightly_in_the_future_within_the_clock_tolerance_is_accepted(int seconds)
    {
        var protocol = Protocol with { CapturedAt = Now.AddSeconds(seconds) };

        Given(Opened).When(RecordWith(protocol)).Then(Scanned(protocol), Checked());
    }

    [Fact]
    public void The_capture_time_is_compared_as_an_instant_not_as_a_wall_clock_time()
    {
        // 10:06 at +01:00 written in UTC reads 09:06: its wall clock is earlier, but it is six minutes ahead.
        Given(Opened)
            .When(RecordWith(Protocol with { CapturedAt = Now.AddMinutes(6).ToUniversalTime() }))
            .ThenRejected(ScanRejections.CapturedInFuture);

        // 09:30 at +01:00 written at +02:00 reads 10:30: its wall clock is later, but it was half an hour ago.
        var halfAnHourAgo = Protocol with { CapturedAt = Now.AddMinutes(-30).ToOffset(TimeSpan.FromHours(2)) };
        Given(Opened).When(RecordWith(halfAnHourAgo)).Then(Scanned(halfAnHourAgo), Checked());
    }

    [Fact]
    public void Recording_a_scan_captured_long_ago_is_accepted()
    {
        var protocol = Protocol with { CapturedAt = Now.AddYears(-5) };

        Given(Opened).When(RecordWith(protocol)).Then(Scanned(protocol), Checked());
    }

    [Fact]
    public void Recording_a_destruction_date_without_permission_to_destroy_the_original_is_rejected()
    {
        Given(Opened)
            .When(RecordWith(Protocol with { OriginalMayBeDestroyed = false }))
            .ThenRejected(ScanRejections.DestroyDateWithoutPermission);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Permission_to_destroy_may_come_without_a_date_and_no_permission_needs_no_date(bool mayBeDestroyed, bool withDate)
    {
        var protocol = Protocol with
        {
            OriginalMayBeDestroyed = mayBeDestroyed,
            DestroyOriginalAfter = withDate ? new DateOnly(2027, 1, 1) : null,
        };

        Given(Opened).When(RecordWith(protocol)).Then(Scanned(protocol), Checked());
    }

    [Theory]
    [InlineData("deu")]
    [InlineData("eng")]
    [InlineData("deu+eng")]
    [InlineData("deu_frak")]
    [InlineData("chi_sim")]
    [InlineData("deu_frak+eng")]
    [InlineData("deu+eng+fra+ita")]
    public void Recording_a_scan_with_tesseract_language_codes_is_accepted(string language)
    {
        Given(Opened)
            .When(RecordScan(language: language))
            .Then(Scanned() with { Language = language }, Checked());
    }

    [Theory]
    [InlineData("DE")]
    [InlineData("de")]
    [InlineData("Deu")]
    [InlineData("deutsch")]
    [InlineData("deu eng")]
    [InlineData("deu,eng")]
    [InlineData("deu+")]
    [InlineData("+deu")]
    [InlineData("deu_")]
    [InlineData("deu_fr")]
    [InlineData("deu_fraktur")]
    [InlineData("deu+eng+fra+ita+spa")]
    [InlineData("deu\n")]
    [InlineData(" deu")]
    [InlineData("../x")]
    [InlineData("")]
    public void Recording_a_scan_with_a_language_that_is_not_a_tesseract_code_is_rejected(string language)
    {
        Given(Opened).When(RecordScan(language: language)).ThenRejected(ScanRejections.LanguageInvalid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void Recording_a_scan_without_who_checked_it_is_rejected(string? checker)
    {
        Given(Opened).When(RecordWith(Passed with { CheckedBy = checker! })).ThenRejected(ScanRejections.CheckerRequired);
        Given(Opened).When(RecordWith(Failed with { CheckedBy = checker! })).ThenRejected(ScanRejections.CheckerRequired);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_rejected_quality_check_without_reason_is_rejected(string? reason)
    {
        Given(Opened).When(RecordWith(Failed with { Reason = reason })).ThenRejected(ScanRejections.RejectionReasonRequired);
    }

    [Fact]
    public void A_passed_quality_check_needs_no_reason()
    {
        Given(Opened).When(RecordWith(Passed with { Reason = null }, Protocol)).Then(Scanned(), Checked(Passed with { Reason = null }));
    }

    [Fact]
    public void A_rejected_quality_check_with_permission_to_destroy_the_original_is_rejected()
    {
        Given(Opened).When(RecordWith(Failed, Protocol)).ThenRejected(ScanRejections.OriginalMustBeKept);
        Given(Opened)
            .When(RecordWith(Failed, Protocol with { DestroyOriginalAfter = null }))
            .ThenRejected(ScanRejections.OriginalMustBeKept);
    }

    [Fact]
    public void Scan_rules_are_checked_document_title_image_type_protocol_language_then_quality()
    {
        var allBad = RecordScan(
            title: "",
            image: Image(mediaType: "text/plain", fileName: "../x.pdf"),
            protocol: new ScanProtocol(" ", " ", "", 10, ColourMode.Colour, Now.AddHours(1), 0, ProtectionNeed.VeryHigh, false, new DateOnly(2030, 1, 1)),
            quality: new QualityCheck(" ", false, null),
            language: "DE");

        Given(GoodScan).When(allBad).ThenRejected(CaseRejections.DuplicateDocument);
        var r = allBad with { DocumentId = Id(3002) };
        Given(GoodScan).When(r).ThenRejected("document-title-required");
        r = r with { Title = "Scan" };
        Given(GoodScan).When(r).ThenRejected(ContentRef.InvalidFileName);
        r = r with { Image = r.Image with { FileName = "x.pdf" } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.ImageTypeNotScannable);
        r = r with { Image = Image(2) };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.OperatorRequired);
        r = r with { Protocol = r.Protocol with { Operator = "m.meier" } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.DeviceRequired);
        r = r with { Protocol = r.Protocol with { Device = "fi-7160" } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.ResolutionInvalid);
        r = r with { Protocol = r.Protocol with { ResolutionDpi = 600 } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.PageCountInvalid);
        r = r with { Protocol = r.Protocol with { PageCount = 1 } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.CapturedInFuture);
        r = r with { Protocol = r.Protocol with { CapturedAt = Now } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.DestroyDateWithoutPermission);
        r = r with { Protocol = r.Protocol with { DestroyOriginalAfter = null } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.LanguageInvalid);
        r = r with { Language = "deu" };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.CheckerRequired);
        r = r with { Quality = r.Quality with { CheckedBy = "k.schulz" } };
        Given(GoodScan).When(r).ThenRejected(ScanRejections.RejectionReasonRequired);
        r = r with { Quality = r.Quality with { Reason = "unleserlich" } };
        Given(GoodScan).When(r).Accepted();
        Given(GoodScan).When(r with { Protocol = r.Protocol with { OriginalMayBeDestroyed = true } }).ThenRejected(ScanRejections.OriginalMustBeKept);
    }

    // ---- unknown and closed cases ----

    public static TheoryData<ScanCommand> EveryCommand() => new()
    {
        RecordScan(),
        Complete(),
        Fail(),
        Rendition(),
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Commands_on_an_unknown_case_are_rejected(ScanCommand command)
    {
        GivenNothing().When(command).ThenRejected(CaseRejections.Unknown);
    }

    public static TheoryData<ScanCommand> DerivedDataCommands() => new()
    {
        Complete(),
        Fail(),
        Rendition(),
    };

    [Theory]
    [MemberData(nameof(DerivedDataCommands))]
    public void Text_and_renditions_are_derived_data_and_still_accepted_in_a_closed_case(ScanCommand command)
    {
        Given(With(GoodScan, Closed)).When(command).Accepted();
    }

    [Fact]
    public void In_a_closed_case_text_recognition_completes_with_its_usual_event()
    {
        Given(With(GoodScan, Closed)).When(Complete()).Then(OcrDone());
        Given(With(GoodScan, Closed)).When(Rendition()).Then(RenditionAdded());
    }

    [Fact]
    public void In_a_closed_case_the_rules_on_derived_data_still_apply()
    {
        Given(With(BadScan, Closed)).When(Complete()).ThenRejected(ScanRejections.QualityRejected);
        Given(With(GoodScan, OcrDone(), Closed)).When(Fail()).ThenRejected(ScanRejections.OcrAlreadyDone);
        Given(With(GoodScan, RenditionAdded(), Closed)).When(Rendition()).ThenRejected(ScanRejections.RenditionExists);
    }

    // ---- complete text recognition ----

    [Fact]
    public void Completing_text_recognition_records_the_pages_and_their_mean_confidence()
    {
        // Confidences 0.25, 0.25 and 1.0: the mean is 0.5, unlike the first, last, median, minimum or maximum.
        var state = Given(GoodScan)
            .When(Complete(), LaterCtx)
            .Then(new OcrCompleted(CaseId, ScanId, 1, "deu", 0.5f, ThreePages, TextRef, Registrar, Later))!;

        var v1 = state.Documents[ScanId].Latest;
        Assert.Equal(OcrState.Completed, v1.Ocr);
        Assert.Equal(TextRef, v1.Text);
        Assert.Equal(Image(), v1.Content);
    }

    [Fact]
    public void The_mean_confidence_is_the_plain_average_of_the_pages_not_weighted_by_words()
    {
        OcrPageInfo[] pages = [new(1, 0.5f, 0, 1000), new(2, 1.0f, 0, 0)];

        Given(GoodScan).When(Complete(pages: pages)).Then(OcrDone(0.75f, pages));
    }

    [Fact]
    public void The_mean_confidence_of_one_page_is_that_pages_confidence()
    {
        OcrPageInfo[] page = [new(1, 0.875f, 0.2, 44)];

        Given(GoodScan).When(Complete(pages: page)).Then(OcrDone(0.875f, page));
    }

    [Fact]
    public void Text_recognition_without_pages_has_a_mean_confidence_of_0()
    {
        Given(GoodScan).When(Complete(pages: [])).Then(OcrDone(0f, []));
    }

    [Fact]
    public void Text_recognition_records_the_language_it_used()
    {
        Given(GoodScan).When(Complete(language: "deu+eng")).Then(OcrDone() with { Language = "deu+eng" });
    }

    [Fact]
    public void Completing_text_recognition_of_an_unknown_document_is_rejected()
    {
        Given(GoodScan).When(Complete(Id(3999))).ThenRejected(CaseRejections.UnknownDocument);
    }

    [Fact]
    public void Completing_text_recognition_of_a_document_that_is_not_a_scan_is_rejected()
    {
        Given(PlainDocument).When(Complete(PlainDocId)).ThenRejected(ScanRejections.NotAScan);
    }

    [Fact]
    public void Completing_text_recognition_of_a_scan_that_failed_its_quality_check_is_rejected()
    {
        Given(BadScan).When(Complete()).ThenRejected(ScanRejections.QualityRejected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Completing_text_recognition_of_an_unknown_version_is_rejected(int version)
    {
        Given(GoodScan).When(Complete(version: version)).ThenRejected(ScanRejections.UnknownVersion);
    }

    [Fact]
    public void Completing_text_recognition_twice_is_rejected()
    {
        Given(With(GoodScan, OcrDone())).When(Complete()).ThenRejected(ScanRejections.OcrAlreadyDone);
    }

    [Fact]
    public void Text_recognition_may_complete_after_it_failed()
    {
        var state = Given(With(GoodScan, OcrFail())).When(Complete()).Then(OcrDone())!;

        Assert.Equal(OcrState.Completed, state.Documents[ScanId].Latest.Ocr);
        Assert.Equal(TextRef, state.Documents[ScanId].Latest.Text);
    }

    // ---- fail text recognition ----

    [Fact]
    public void Failing_text_recognition_records_the_code_reason_and_failed_pages()
    {
        var state = Given(GoodScan)
            .When(Fail(), LaterCtx)
            .Then(new OcrFailed(CaseId, ScanId, 1, "ocr-page-unreadable", "Page 2: no text found", [2, 3], Registrar, Later))!;

        var v1 = state.Documents[ScanId].Latest;
        Assert.Equal(OcrState.Failed, v1.Ocr);
        Assert.Null(v1.Text);
    }

    [Fact]
    public void Failing_text_recognition_of_an_unknown_document_is_rejected()
    {
        Given(GoodScan).When(Fail(Id(3999))).ThenRejected(CaseRejections.UnknownDocument);
    }

    [Fact]
    public void Failing_text_recognition_of_a_document_that_is_not_a_scan_is_rejected()
    {
        Given(PlainDocument).When(Fail(PlainDocId)).ThenRejected(ScanRejections.NotAScan);
    }

    [Fact]
    public void Failing_text_recognition_of_a_scan_that_failed_its_quality_check_is_rejected()
    {
        Given(BadScan).When(Fail()).ThenRejected(ScanRejections.QualityRejected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Failing_text_recognition_of_an_unknown_version_is_rejected(int version)
    {
        Given(GoodScan).When(Fail(version: version)).ThenRejected(ScanRejections.UnknownVersion);
    }

    [Fact]
    public void Failing_text_recognition_after_it_completed_is_rejected()
    {
        Given(With(GoodScan, OcrDone())).When(Fail()).ThenRejected(ScanRejections.OcrAlreadyDone);
    }

    [Fact]
    public void Text_recognition_may_fail_again_after_a_failure()
    {
        Given(With(GoodScan, OcrFail())).When(Fail()).Then(OcrFail());
    }

    [Fact]
    public void Text_recognition_rules_are_checked_document_scan_quality_version_then_state()
    {
        // An unknown version of a rejected scan: the quality check refuses first.
        Given(BadScan).When(Complete(version: 9)).ThenRejected(ScanRejections.QualityRejected);
        Given(BadScan).When(Fail(version: 9)).ThenRejected(ScanRejections.QualityRejected);

        // An unknown version of a document that is not a scan: not being a scan refuses first.
        Given(PlainDocument).When(Complete(PlainDocId, version: 9)).ThenRejected(ScanRejections.NotAScan);
    }

    // ---- renditions ----

    [Fact]
    public void Adding_a_rendition_records_it_on_the_version()
    {
        var state = Given(With(GoodScan, OcrDone()))
            .When(Rendition(), LaterCtx)
            .Then(new RenditionCreated(CaseId, ScanId, 1, "PDF/A-2b", PdfA, Registrar, Later))!;

        var v1 = state.Documents[ScanId].Latest;
        Assert.Equal(PdfA, Assert.Single(v1.Renditions, r => r.Key == "PDF/A-2b").Value);
        Assert.Single(v1.Renditions);
        Assert.Equal(Image(), v1.Content);
        Assert.Equal(OcrState.Completed, v1.Ocr);
    }

    [Fact]
    public void A_rendition_may_be_added_before_text_recognition_is_done()
    {
        var state = Given(GoodScan).When(Rendition()).Then(RenditionAdded())!;

        Assert.Equal(OcrState.Pending, state.Documents[ScanId].Latest.Ocr);
    }

    [Fact]
    public void A_version_may_have_renditions_in_several_formats()
    {
        var tiffContent = Image(70, "image/tiff", "archiv.tif");
        var state = Given(With(GoodScan, RenditionAdded()))
            .When(Rendition(format: "TIFF/G4", content: tiffContent))
            .Then(new RenditionCreated(CaseId, ScanId, 1, "TIFF/G4", tiffContent, Clerk, Now))!;

        Assert.Equal(["PDF/A-2b", "TIFF/G4"], state.Documents[ScanId].Latest.Renditions.Keys.Order());
    }

    [Fact]
    public void Adding_a_rendition_in_a_format_the_version_already_has_is_rejected()
    {
        Given(With(GoodScan, RenditionAdded()))
            .When(Rendition(content: new ContentRef(Sha(61), 9100, "application/pdf", "neu.pdf")))
            .ThenRejected(ScanRejections.RenditionExists);
    }

    [Fact]
    public void A_format_on_one_version_does_not_block_it_on_another()
    {
        var v2 = new DocumentVersionAdded(CaseId, PlainDocId, 2, Content(2), Clerk, Now);

        Given(With(PlainDocument, v2, RenditionAdded(PlainDocId, 1)))
            .When(Rendition(PlainDocId, version: 2))
            .Then(RenditionAdded(PlainDocId, 2));
    }

    [Fact]
    public void A_document_that_is_not_a_scan_may_get_a_rendition()
    {
        var state = Given(PlainDocument)
            .When(Rendition(PlainDocId))
            .Then(RenditionAdded(PlainDocId))!;

        Assert.Equal(PdfA, state.Documents[PlainDocId].Latest.Renditions["PDF/A-2b"]);
    }

    [Fact]
    public void Adding_a_rendition_to_an_unknown_document_is_rejected()
    {
        Given(GoodScan).When(Rendition(Id(3999))).ThenRejected(CaseRejections.UnknownDocument);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Adding_a_rendition_to_an_unknown_version_is_rejected(int version)
    {
        Given(GoodScan).When(Rendition(version: version)).ThenRejected(ScanRejections.UnknownVersion);
        Given(PlainDocument).When(Rendition(PlainDocId, version: version)).ThenRejected(ScanRejections.UnknownVersion);
    }

    [Fact]
    public void Adding_a_rendition_to_a_scan_that_failed_its_quality_check_is_rejected()
    {
        Given(BadScan).When(Rendition()).ThenRejected(ScanRejections.QualityRejected);
    }

    [Fact]
    public void Adding_a_rendition_with_invalid_content_is_rejected()
    {
        Given(GoodScan).When(Rendition(content: PdfA with { FileName = "../x.pdf" })).ThenRejected(ContentRef.InvalidFileName);
        Given(GoodScan).When(Rendition(content: PdfA with { Sha256 = "nothex" })).ThenRejected(ContentRef.InvalidHash);
        Given(GoodScan).When(Rendition(content: PdfA with { Size = -1 })).ThenRejected(ContentRef.InvalidContent);
        Given(GoodScan).When(Rendition(content: PdfA with { MediaType = "" })).ThenRejected(ContentRef.InvalidContent);
    }

    [Fact]
    public void Rendition_rules_are_checked_document_version_quality_format_then_content()
    {
        var badContent = PdfA with { FileName = "a/b" };

        Given(BadScan).When(Rendition(version: 2, content: badContent)).ThenRejected(ScanRejections.UnknownVersion);
        Given(With(BadScan, RenditionAdded())).When(Rendition(content: badContent)).ThenRejected(ScanRejections.QualityRejected);
        Given(With(GoodScan, RenditionAdded())).When(Rendition(content: badContent)).ThenRejected(ScanRejections.RenditionExists);
    }

    // ---- evolve ----

    [Fact]
    public void Derived_data_changes_only_the_named_version()
    {
        var v2 = new DocumentVersionAdded(CaseId, ScanId, 2, Content(2), Clerk, Now);
        var state = Fold(With(GoodScan, v2, OcrDone(), RenditionAdded()))!;

        var versions = state.Documents[ScanId].Versions;
        Assert.Equal(OcrState.Completed, versions[0].Ocr);
        Assert.Equal(TextRef, versions[0].Text);
        Assert.Single(versions[0].Renditions);
        Assert.Equal(new DocumentVersion(2, Content(2), Clerk.UserId, Now), versions[1]);
    }

    [Fact]
    public void Evolve_ignores_derived_data_of_an_unknown_document()
    {
        var before = Fold(GoodScan)!;

        Assert.Same(before, Case.Evolve(before, OcrDone() with { DocumentId = Id(3999) }));
        Assert.Same(before, Case.Evolve(before, OcrFail() with { DocumentId = Id(3999) }));
        Assert.Same(before, Case.Evolve(before, RenditionAdded(Id(3999))));
    }

    [Fact]
    public void Evolve_leaves_earlier_states_untouched()
    {
        var before = Fold(GoodScan)!;
        _ = Case.Evolve(before, OcrDone());
        _ = Case.Evolve(before, RenditionAdded());

        Assert.Equal(OcrState.Pending, before.Documents[ScanId].Latest.Ocr);
        Assert.Null(before.Documents[ScanId].Latest.Text);
        Assert.Empty(before.Documents[ScanId].Latest.Renditions);
    }
}
