using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Files;
using static ECase.Domain.Tests.Fixtures;
using FileState = ECase.Domain.Files.File;

namespace ECase.Domain.Tests;

public sealed class CaseDeciderTests() : DeciderSpec<Case, CaseCommand>(Case.Evolve, CaseDecider.Decide)
{
    private static readonly Guid CaseId = Id(101);
    private static readonly Guid FileId = Id(10);
    private static readonly Guid SubmissionId = Id(200);
    private static readonly Guid SenderId = Id(300);

    private static readonly FileState OpenFile = new(
        FileId, "HA-32.10.05-0007/2026", "Neubau Kita", Id(1), "32.10.05", "HA", Confidentiality.Open,
        FileStatus.Open, [], []);

    private static readonly CaseOpened Opened = new(CaseId, FileId, "Bauantrag Müller", "HA", Clerk, Now);
    private static readonly CaseClosed Closed = new(CaseId, FileId, Clerk, Now);

    private static NewDocument Doc(int n, string? title = null, ContentRef? content = null) =>
        new(Id(1000 + n), title ?? $"Anlage {n}", content ?? Content(n));

    private static CaseCommand.RegisterSubmission Submission(
        IReadOnlyList<NewDocument> documents, DateTimeOffset? receivedAt = null, string subject = "Bauantrag") =>
        new(SubmissionId, SubmissionChannel.Email, SenderId, receivedAt ?? Now.AddHours(-2), subject, documents);

    private static CaseCommand.RegisterSubmission Submission(params NewDocument[] documents) => Submission((IReadOnlyList<NewDocument>)documents);

    private static DocumentAdded Added(int n, Guid? submissionId = null) =>
        new(CaseId, Id(1000 + n), $"Anlage {n}", submissionId ?? SubmissionId, Content(n), Clerk, Now);

    private static CaseCommand.RegisterSubmission WithFileName(string fileName) =>
        Submission(Doc(1, content: Content(1, fileName)));

    // ---- open ----

    [Fact]
    public void Opening_a_case_in_an_open_file_records_it_with_the_files_org_unit()
    {
        var file = OpenFile with { OrgUnit = "BA7" };

        GivenNothing()
            .When(new CaseCommand.Open(CaseId, file, "  Bauantrag Müller "))
            .Then(Opened with { OrgUnit = "BA7" });
    }

    [Fact]
    public void An_opened_case_is_open_and_empty()
    {
        var state = Fold(Opened)!;

        Assert.Equal(CaseId, state.Id);
        Assert.Equal(FileId, state.FileId);
        Assert.Equal("Bauantrag Müller", state.Title);
        Assert.Equal("HA", state.OrgUnit);
        Assert.Equal(CaseStatus.Open, state.Status);
        Assert.Empty(state.Submissions);
        Assert.Empty(state.Documents);
    }

    [Fact]
    public void Opening_a_case_in_an_unknown_file_is_rejected()
    {
        GivenNothing()
            .When(new CaseCommand.Open(CaseId, null, "Bauantrag"))
            .ThenRejected(FileRejections.Unknown);
    }

    [Fact]
    public void Opening_a_case_in_a_closed_file_is_rejected()
    {
        GivenNothing()
            .When(new CaseCommand.Open(CaseId, OpenFile with { Status = FileStatus.Closed }, "Bauantrag"))
            .ThenRejected(FileRejections.FileClosed);
    }

    [Theory]
    [InlineData("", "title-required")]
    [InlineData("  ", "title-required")]
    [InlineData(null, "title-required")]
    [InlineData("Antrag\r\n", "title-invalid")]
    [InlineData("An\ttrag", "title-invalid")]
    public void Opening_a_case_with_a_bad_title_is_rejected(string? title, string code)
    {
        GivenNothing().When(new CaseCommand.Open(CaseId, OpenFile, title!)).ThenRejected(code);
    }

    [Fact]
    public void Opening_a_case_with_a_title_over_500_characters_is_rejected()
    {
        GivenNothing().When(new CaseCommand.Open(CaseId, OpenFile, new string('v', 501))).ThenRejected("title-too-long");
    }

    [Fact]
    public void Opening_a_case_that_exists_is_rejected()
    {
        Given(Opened).When(new CaseCommand.Open(CaseId, OpenFile, "Bauantrag")).ThenRejected(CaseRejections.AlreadyExists);
    }

    [Fact]
    public void Opening_a_case_that_exists_and_is_closed_is_rejected_as_existing()
    {
        Given(Opened, Closed).When(new CaseCommand.Open(CaseId, OpenFile, "Bauantrag")).ThenRejected(CaseRejections.AlreadyExists);
    }

    [Fact]
    public void Commands_on_an_unknown_case_are_rejected()
    {
        GivenNothing().When(new CaseCommand.Rename("Neu")).ThenRejected(CaseRejections.Unknown);
        GivenNothing().When(new CaseCommand.Close()).ThenRejected(CaseRejections.Unknown);
        GivenNothing().When(Submission(Doc(1))).ThenRejected(CaseRejections.Unknown);
        GivenNothing().When(new CaseCommand.AddDocumentVersion(Id(1001), Content(9))).ThenRejected(CaseRejections.Unknown);
    }

    // ---- rename ----

    [Fact]
    public void Renaming_records_the_trimmed_title_and_updates_the_case()
    {
        var state = Given(Opened)
            .When(new CaseCommand.Rename(" Bauantrag Müller (Nachtrag) "), LaterCtx)
            .Then(new CaseRenamed(CaseId, "Bauantrag Müller (Nachtrag)", Registrar, Later))!;

        Assert.Equal("Bauantrag Müller (Nachtrag)", state.Title);
    }

    [Theory]
    [InlineData("Bauantrag Müller")]
    [InlineData("  Bauantrag Müller  ")]
    public void Renaming_to_the_current_title_is_rejected(string title)
    {
        Given(Opened).When(new CaseCommand.Rename(title)).ThenRejected(CaseRejections.TitleUnchanged);
    }

    [Fact]
    public void Renaming_back_to_the_original_after_a_rename_works()
    {
        Given(Opened, new CaseRenamed(CaseId, "Zwischentitel", Clerk, Now))
            .When(new CaseCommand.Rename("Bauantrag Müller"))
            .Then(new CaseRenamed(CaseId, "Bauantrag Müller", Clerk, Now));
    }

    [Theory]
    [InlineData("", "title-required")]
    [InlineData(null, "title-required")]
    [InlineData("Neu\u0085", "title-invalid")]
    public void Renaming_to_an_invalid_title_is_rejected(string? title, string code)
    {
        Given(Opened).When(new CaseCommand.Rename(title!)).ThenRejected(code);
    }

    [Fact]
    public void Renaming_to_a_title_over_500_characters_is_rejected()
    {
        Given(Opened).When(new CaseCommand.Rename(new string('n', 501))).ThenRejected("title-too-long");
    }

    // ---- close ----

    [Fact]
    public void Closing_a_case_records_it_with_its_file()
    {
        var state = Given(Opened)
            .When(new CaseCommand.Close(), LaterCtx)
            .Then(new CaseClosed(CaseId, FileId, Registrar, Later))!;

        Assert.Equal(CaseStatus.Closed, state.Status);
    }

    public static TheoryData<CaseCommand> EveryCommandButOpen() => new()
    {
        new CaseCommand.Rename("Neuer Titel"),
        new CaseCommand.Close(),
        new CaseCommand.RegisterSubmission(Id(2000), SubmissionChannel.Paper, null, Now, "Eingang", [Doc(2)]),
        new CaseCommand.AddDocumentVersion(Id(1001), Content(99)),
    };

    [Theory]
    [MemberData(nameof(EveryCommandButOpen))]
    public void A_closed_case_rejects_every_command(CaseCommand command)
    {
        Given(Opened, Submission_1_Received(), Added(1), Closed)
            .When(command)
            .ThenRejected(CaseRejections.CaseClosed);
    }

    [Theory]
    [MemberData(nameof(EveryCommandButOpen))]
    public void The_same_commands_are_accepted_while_the_case_is_open(CaseCommand command)
    {
        Given(Opened, Submission_1_Received(), Added(1)).When(command).Accepted();
    }

    private static SubmissionReceived Submission_1_Received() =>
        new(CaseId, SubmissionId, SubmissionChannel.Email, SenderId, Now.AddHours(-2), "Bauantrag", [Id(1001)], Clerk, Now);

    // ---- register submission ----

    [Fact]
    public void Registering_a_submission_records_it_then_one_document_per_attachment_in_order()
    {
        var state = Given(Opened)
            .When(Submission(Doc(3), Doc(1), Doc(2)))
            .Then(
                new SubmissionReceived(
                    CaseId, SubmissionId, SubmissionChannel.Email, SenderId, Now.AddHours(-2), "Bauantrag",
                    [Id(1003), Id(1001), Id(1002)], Clerk, Now),
                Added(3),
                Added(1),
                Added(2))!;

        Assert.Equal([SubmissionId], state.Submissions);
        Assert.Equal([Id(1001), Id(1002), Id(1003)], state.Documents.Keys.Order());
        var doc = state.Documents[Id(1002)];
        Assert.Equal(Id(1002), doc.Id);
        Assert.Equal("Anlage 2", doc.Title);
        Assert.Equal(SubmissionId, doc.SubmissionId);
        Assert.Equal([new DocumentVersion(1, Content(2), Clerk.UserId, Now)], doc.Versions);
    }

    [Fact]
    public void Subject_and_document_titles_are_trimmed()
    {
        Given(Opened)
            .When(Submission([Doc(1, title: "  Anlage 1 ")], subject: "  Bauantrag  "))
            .Then(
                new SubmissionReceived(
                    CaseId, SubmissionId, SubmissionChannel.Email, SenderId, Now.AddHours(-2), "Bauantrag",
                    [Id(1001)], Clerk, Now),
                Added(1));
    }

    [Fact]
    public void A_submission_without_sender_is_recorded_without_sender()
    {
        var command = new CaseCommand.RegisterSubmission(SubmissionId, SubmissionChannel.Paper, null, Now, "Brief", [Doc(1)]);

        Given(Opened)
            .When(command)
            .Then(
                new SubmissionReceived(CaseId, SubmissionId, SubmissionChannel.Paper, null, Now, "Brief", [Id(1001)], Clerk, Now),
                Added(1));
    }

    [Fact]
    public void A_second_submission_adds_its_documents_next_to_the_first()
    {
        var second = Id(201);
        var state = Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.RegisterSubmission(second, SubmissionChannel.Fax, null, Now, "Nachreichung", [Doc(2)]))
            .Then(
                new SubmissionReceived(CaseId, second, SubmissionChannel.Fax, null, Now, "Nachreichung", [Id(1002)], Clerk, Now),
                Added(2, second))!;

        Assert.Equal([SubmissionId, second], state.Submissions.Order());
        Assert.Equal(SubmissionId, state.Documents[Id(1001)].SubmissionId);
        Assert.Equal(second, state.Documents[Id(1002)].SubmissionId);
    }

    [Fact]
    public void A_submission_registered_twice_under_the_same_id_is_rejected()
    {
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.RegisterSubmission(SubmissionId, SubmissionChannel.Paper, null, Now, "Eingang", [Doc(2)]))
            .ThenRejected(CaseRejections.DuplicateSubmission);
    }

    [Fact]
    public void Content_with_a_negative_size_or_no_media_type_is_rejected()
    {
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.AddDocumentVersion(Id(1001), new ContentRef(new string('a', 64), -1, "application/pdf", "x.pdf")))
            .ThenRejected(ContentRef.InvalidContent);
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.AddDocumentVersion(Id(1001), new ContentRef(new string('a', 64), 5, " ", "x.pdf")))
            .ThenRejected(ContentRef.InvalidContent);
    }

    [Fact]
    public void A_submission_without_documents_is_rejected()
    {
        Given(Opened).When(Submission()).ThenRejected(CaseRejections.NoDocuments);
    }

    [Fact]
    public void A_submission_with_100_documents_is_accepted()
    {
        var events = Given(Opened).When(Submission([.. Enumerable.Range(1, 100).Select(n => Doc(n))])).Accepted();

        Assert.Equal(101, events.Count);
    }

    [Fact]
    public void A_submission_with_more_than_100_documents_is_rejected()
    {
        Given(Opened)
            .When(Submission([.. Enumerable.Range(1, 101).Select(n => Doc(n))]))
            .ThenRejected(CaseRejections.TooManyDocuments);
    }

    [Fact]
    public void A_submission_received_more_than_5_minutes_in_the_future_is_rejected()
    {
        Given(Opened)
            .When(Submission([Doc(1)], receivedAt: Now + TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1)))
            .ThenRejected(CaseRejections.ReceivedInFuture);
    }

    [Fact]
    public void A_submission_received_a_day_in_the_future_is_rejected()
    {
        Given(Opened)
            .When(Submission([Doc(1)], receivedAt: Now.AddDays(1)))
            .ThenRejected(CaseRejections.ReceivedInFuture);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(299)]
    [InlineData(300)]
    public void A_submission_received_slightly_in_the_future_within_the_clock_tolerance_is_accepted(int seconds)
    {
        var receivedAt = Now.AddSeconds(seconds);

        Given(Opened)
            .When(Submission([Doc(1)], receivedAt: receivedAt))
            .Then(
                new SubmissionReceived(CaseId, SubmissionId, SubmissionChannel.Email, SenderId, receivedAt, "Bauantrag", [Id(1001)], Clerk, Now),
                Added(1));
    }

    [Fact]
    public void The_clock_tolerance_compares_instants_not_local_times()
    {
        // 10:04 at +01:00 is 09:04 UTC: four minutes ahead, within tolerance, although the UTC wall clock reads earlier.
        var inUtc = Now.AddMinutes(4).ToUniversalTime();
        Given(Opened).When(Submission([Doc(1)], receivedAt: inUtc)).Accepted();

        // 10:06 at +01:00 written as 11:06 at +02:00: six minutes ahead.
        var inSummerTime = Now.AddMinutes(6).ToOffset(TimeSpan.FromHours(2));
        Given(Opened).When(Submission([Doc(1)], receivedAt: inSummerTime)).ThenRejected(CaseRejections.ReceivedInFuture);
    }

    [Fact]
    public void A_submission_received_long_ago_is_accepted()
    {
        Given(Opened).When(Submission([Doc(1)], receivedAt: Now.AddYears(-3))).Accepted();
    }

    [Fact]
    public void A_submission_naming_the_same_document_twice_is_rejected()
    {
        Given(Opened)
            .When(Submission(Doc(1), Doc(2), Doc(1, title: "Noch einmal", content: Content(77))))
            .ThenRejected(CaseRejections.DuplicateDocument);
    }

    [Fact]
    public void A_submission_with_a_document_already_in_the_case_is_rejected()
    {
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.RegisterSubmission(Id(201), SubmissionChannel.Paper, null, Now, "Nachreichung", [Doc(2), Doc(1)]))
            .ThenRejected(CaseRejections.DuplicateDocument);
    }

    [Theory]
    [InlineData("", "document-title-required")]
    [InlineData("   ", "document-title-required")]
    [InlineData("Anlage\u0000", "document-title-invalid")]
    [InlineData("An\nlage", "document-title-invalid")]
    public void A_submission_with_a_bad_document_title_is_rejected(string title, string code)
    {
        Given(Opened).When(Submission(Doc(1), Doc(2, title: title))).ThenRejected(code);
    }

    [Fact]
    public void A_submission_with_a_document_title_over_500_characters_is_rejected()
    {
        Given(Opened).When(Submission(Doc(1, title: new string('d', 501)))).ThenRejected("document-title-too-long");
    }

    [Theory]
    [InlineData("", "subject-required")]
    [InlineData(" ", "subject-required")]
    [InlineData("Betreff\u0001", "subject-invalid")]
    public void A_submission_with_a_bad_subject_is_rejected(string subject, string code)
    {
        Given(Opened).When(Submission([Doc(1)], subject: subject)).ThenRejected(code);
    }

    [Fact]
    public void A_submission_with_a_subject_over_500_characters_is_rejected()
    {
        Given(Opened).When(Submission([Doc(1)], subject: new string('s', 501))).ThenRejected("subject-too-long");
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("..\\boot.ini")]
    [InlineData("scan..pdf")]
    [InlineData("a/b")]
    [InlineData("/scan.pdf")]
    [InlineData("a\\b")]
    [InlineData("C:x")]
    [InlineData("C:\\scan.pdf")]
    [InlineData("scan.pdf:stream")]
    [InlineData("scan\u0000.pdf")]
    [InlineData("scan\n.pdf")]
    [InlineData("scan\u001f.pdf")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" scan.pdf")]
    [InlineData("scan.pdf ")]
    public void A_submission_with_a_file_name_that_is_not_a_plain_name_is_rejected(string fileName)
    {
        Given(Opened).When(WithFileName(fileName)).ThenRejected(ContentRef.InvalidFileName);
    }

    [Fact]
    public void A_submission_with_a_file_name_of_256_characters_is_rejected()
    {
        Given(Opened).When(WithFileName(new string('f', 252) + ".pdf")).ThenRejected(ContentRef.InvalidFileName);
    }

    [Fact]
    public void A_submission_with_a_file_name_of_255_characters_is_accepted()
    {
        var name = new string('f', 251) + ".pdf";
        var events = Given(Opened).When(WithFileName(name)).Accepted();

        Assert.Equal(name, Assert.IsType<DocumentAdded>(events[1]).Content.FileName);
    }

    [Theory]
    [InlineData("Bauantrag Müller.pdf")]
    [InlineData(".hidden")]
    [InlineData("scan.2026-03-14.pdf")]
    [InlineData("Grundriss (EG) – Version 2.dwg")]
    public void A_submission_with_plain_file_names_is_accepted(string fileName)
    {
        Given(Opened).When(WithFileName(fileName)).Accepted();
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData(" e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    public void A_submission_with_an_invalid_content_hash_is_rejected(string hash)
    {
        var content = new ContentRef(hash, 0, "application/pdf", "leer.pdf");

        Given(Opened).When(Submission(Doc(1, content: content))).ThenRejected(ContentRef.InvalidHash);
    }

    [Fact]
    public void A_submission_whose_last_document_is_invalid_is_rejected_as_a_whole()
    {
        Given(Opened)
            .When(Submission(Doc(1), Doc(2), Doc(3, content: Content(3, "../x.pdf"))))
            .ThenRejected(ContentRef.InvalidFileName);
    }

    [Fact]
    public void Submission_rules_are_checked_subject_count_time_duplicates_then_each_document()
    {
        var badDoc = Doc(1, title: "", content: Content(1, "a/b"));
        var future = Now.AddHours(1);

        Given(Opened).When(Submission([badDoc, badDoc], future, subject: "")).ThenRejected("subject-required");
        Given(Opened).When(Submission([], future)).ThenRejected(CaseRejections.NoDocuments);
        Given(Opened).When(Submission([badDoc, badDoc], future)).ThenRejected(CaseRejections.ReceivedInFuture);
        Given(Opened).When(Submission([badDoc, badDoc])).ThenRejected(CaseRejections.DuplicateDocument);
        Given(Opened).When(Submission([badDoc])).ThenRejected("document-title-required");
    }

    // ---- add document version ----

    [Fact]
    public void Adding_a_version_of_an_unknown_document_is_rejected()
    {
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.AddDocumentVersion(Id(1002), Content(2)))
            .ThenRejected(CaseRejections.UnknownDocument);
    }

    [Fact]
    public void Adding_a_version_with_the_same_content_is_rejected()
    {
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.AddDocumentVersion(Id(1001), Content(1, "renamed.pdf")))
            .ThenRejected(CaseRejections.VersionUnchanged);
    }

    [Fact]
    public void Adding_a_version_with_the_content_of_an_older_version_is_accepted()
    {
        var v2 = new DocumentVersionAdded(CaseId, Id(1001), 2, Content(2), Clerk, Now);

        Given(Opened, Submission_1_Received(), Added(1), v2)
            .When(new CaseCommand.AddDocumentVersion(Id(1001), Content(1)))
            .Then(new DocumentVersionAdded(CaseId, Id(1001), 3, Content(1), Clerk, Now));
    }

    [Fact]
    public void Adding_a_version_with_invalid_content_is_rejected()
    {
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.AddDocumentVersion(Id(1001), Content(2, "a/b.pdf")))
            .ThenRejected(ContentRef.InvalidFileName);
        Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.AddDocumentVersion(Id(1001), Content(2) with { Sha256 = "nothex" }))
            .ThenRejected(ContentRef.InvalidHash);
    }

    [Fact]
    public void Versions_are_numbered_2_3_and_so_on()
    {
        var after2 = Given(Opened, Submission_1_Received(), Added(1))
            .When(new CaseCommand.AddDocumentVersion(Id(1001), Content(2)))
            .Then(new DocumentVersionAdded(CaseId, Id(1001), 2, Content(2), Clerk, Now));

        var v2 = new DocumentVersionAdded(CaseId, Id(1001), 2, Content(2), Clerk, Now);
        var after3 = Given(Opened, Submission_1_Received(), Added(1), v2)
            .When(new CaseCommand.AddDocumentVersion(Id(1001), Content(3)), LaterCtx)
            .Then(new DocumentVersionAdded(CaseId, Id(1001), 3, Content(3), Registrar, Later))!;

        var v3 = new DocumentVersionAdded(CaseId, Id(1001), 3, Content(3), Registrar, Later);
        Given(Opened, Submission_1_Received(), Added(1), v2, v3)
            .When(new CaseCommand.AddDocumentVersion(Id(1001), Content(4)))
            .Then(new DocumentVersionAdded(CaseId, Id(1001), 4, Content(4), Clerk, Now));

        Assert.Equal([1, 2], after2!.Documents[Id(1001)].Versions.Select(v => v.Number));
        Assert.Equal([1, 2, 3], after3.Documents[Id(1001)].Versions.Select(v => v.Number));
    }

    [Fact]
    public void Version_numbers_count_per_document()
    {
        var twoDocs = new SubmissionReceived(
            CaseId, SubmissionId, SubmissionChannel.Email, SenderId, Now, "Bauantrag", [Id(1001), Id(1002)], Clerk, Now);
        var v2OfFirst = new DocumentVersionAdded(CaseId, Id(1001), 2, Content(11), Clerk, Now);

        Given(Opened, twoDocs, Added(1), Added(2), v2OfFirst)
            .When(new CaseCommand.AddDocumentVersion(Id(1002), Content(12)))
            .Then(new DocumentVersionAdded(CaseId, Id(1002), 2, Content(12), Clerk, Now));
    }

    // ---- evolve ----

    [Fact]
    public void Evolve_accumulates_versions_with_who_and_when()
    {
        var state = Fold(
            Opened,
            Submission_1_Received(),
            Added(1),
            new DocumentVersionAdded(CaseId, Id(1001), 2, Content(2), Registrar, Later),
            new DocumentVersionAdded(CaseId, Id(1001), 3, Content(3), Clerk, Later.AddHours(1)))!;

        var doc = state.Documents[Id(1001)];
        Assert.Equal(
            [
                new DocumentVersion(1, Content(1), Clerk.UserId, Now),
                new DocumentVersion(2, Content(2), Registrar.UserId, Later),
                new DocumentVersion(3, Content(3), Clerk.UserId, Later.AddHours(1)),
            ],
            doc.Versions);
        Assert.Equal(new DocumentVersion(3, Content(3), Clerk.UserId, Later.AddHours(1)), doc.Latest);
        Assert.Equal("Anlage 1", doc.Title);
    }

    [Fact]
    public void Evolve_ignores_a_version_of_an_unknown_document()
    {
        var before = Fold(Opened, Submission_1_Received(), Added(1))!;
        var after = Case.Evolve(before, new DocumentVersionAdded(CaseId, Id(9999), 2, Content(2), Clerk, Now));

        Assert.Same(before, after);
    }

    [Fact]
    public void Evolve_leaves_earlier_states_untouched()
    {
        var before = Fold(Opened, Submission_1_Received(), Added(1))!;
        _ = Case.Evolve(before, new DocumentVersionAdded(CaseId, Id(1001), 2, Content(2), Clerk, Now));

        Assert.Single(before.Documents[Id(1001)].Versions);
    }

    [Fact]
    public void Evolve_ignores_events_before_the_case_is_opened()
    {
        Assert.Null(Fold(Closed, new CaseRenamed(CaseId, "x", Clerk, Now)));
    }
}
