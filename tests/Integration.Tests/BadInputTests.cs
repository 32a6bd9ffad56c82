using System.Net.Http.Headers;
using System.Text;
using ECase.Application.Cases;

namespace ECase.Integration.Tests;

/// <summary>Bad input gets a problem response naming the problem, and leaves no event and no blob behind.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    private async Task AssertNothingStored(Func<Task<HttpResponseMessage>> send, int status, string code)
    {
        // Jobs of earlier tests store blobs too; only this request may act while we compare.
        await app.WaitForJobsAsync();
        var events = await app.EventCountAsync();
        var blobs = app.StoredBlobs();
        var problem = await (await send()).ProblemAsync(status);
        Assert.Equal(code, problem.Code());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(events, await app.EventCountAsync());
        Assert.Equal(blobs, app.StoredBlobs());
        Assert.Empty(app.StagingFiles());
    }

    [Fact]
    public async Task Opening_a_file_under_an_unknown_plan_unit_is_refused()
    {
        var counter = await app.ExecuteSqlScalarAsync<long>("select count(*) from {schema}.ecase_reference_counters");
        await AssertNothingStored(() => _given.ClerkHa.PostJsonAsync("/api/files", new { title = "Akte", planUnitCode = "99.99.99" }), 400, "plan-unit-unknown");
        Assert.Equal(counter, await app.ExecuteSqlScalarAsync<long>("select count(*) from {schema}.ecase_reference_counters"));
    }

    [Theory]
    [InlineData("", "title-required")]
    [InlineData("   ", "title-required")]
    [InlineData("Zeile\u0000Null", "title-invalid")]
    public async Task Opening_a_file_with_a_bad_title_is_refused(string title, string code)
    {
        var plan = await _given.PlanUnitAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostJsonAsync("/api/files", new { title, planUnitCode = plan }), 400, code);
    }

    [Fact]
    public async Task A_title_longer_than_500_characters_is_refused()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostJsonAsync($"/api/cases/{caseId}/rename", new { title = new string('x', 501) }), 400, "title-too-long");
    }

    [Fact]
    public async Task Malformed_json_is_refused_with_a_problem()
    {
        await AssertNothingStored(() => _given.ClerkHa.PostAsync("/api/files", new StringContent("{\"title\":", Encoding.UTF8, "application/json")), 400, "bad-request");
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_refused_with_413()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var big = new byte[ECaseApp.MaxUploadBytes + 1];
        Given.Pdf("x").CopyTo(big, 0);
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(files: ("gross.pdf", "application/pdf", big))), 413, "upload-too-large");
    }

    [Fact]
    public async Task Two_files_together_over_the_limit_are_refused_and_the_first_is_not_kept()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var half = new byte[(ECaseApp.MaxUploadBytes / 2) + 10];
        Given.Pdf("x").CopyTo(half, 0);
        var other = (byte[])half.Clone();
        other[^1] = 1;
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(files: [("a.pdf", "application/pdf", half), ("b.pdf", "application/pdf", other)])), 413, "upload-too-large");
    }

    [Theory]
    [InlineData("../../etc/passwd.pdf")]
    [InlineData("..\\boot.pdf")]
    [InlineData("unter/ordner.pdf")]
    [InlineData("C:evil.pdf")]
    public async Task An_upload_whose_file_name_is_a_path_is_refused(string name)
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(files: (name, "application/pdf", Given.Pdf("x")))), 400, "file-name-invalid");
    }

    [Fact]
    public async Task A_json_body_where_multipart_is_expected_is_refused_with_415()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostJsonAsync($"/api/cases/{caseId}/submissions", new { subject = "x" }), 415, "unsupported-media-type");
    }

    [Fact]
    public async Task A_document_of_a_media_type_we_do_not_accept_is_refused_with_415()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(files: ("setup.exe", "application/x-msdownload", [0x4D, 0x5A, 0x90, 0x00]))), 415, "media-type-not-allowed");
    }

    [Fact]
    public async Task A_document_whose_bytes_are_not_what_its_media_type_claims_is_refused()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(files: ("antrag.pdf", "application/pdf", "MZ not a pdf at all"u8.ToArray()))), 400, "content-does-not-match-media-type");
    }

    [Fact]
    public async Task A_truncated_multipart_body_is_refused()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        const string boundary = "ecase-boundary";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"subject\"\r\n\r\nAntrag\r\n--{boundary}\r\n"
            + "Content-Disposition: form-data; name=\"documents\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 abgeschnitten";
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", content), 400, "multipart-malformed");
    }

    [Fact]
    public async Task A_submission_rejected_by_a_rule_removes_the_bytes_it_brought()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(subject: "", files: ("neu.pdf", "application/pdf", Given.Pdf($"unique {Guid.NewGuid()}")))), 400, "subject-required");
    }

    [Fact]
    public async Task A_submission_without_documents_is_refused()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        await AssertNothingStored(() => _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission()), 400, "submission-without-documents");
    }

    [Fact]
    public async Task A_bad_channel_or_date_names_the_field()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var form = Given.Submission(files: ("a.pdf", "application/pdf", Given.Pdf("kanal")));
        form.Add(new StringContent("Brieftaube"), "channel");
        await app.WaitForJobsAsync();
        var events = await app.EventCountAsync();
        var problem = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", form)).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("channel", out _));
        Assert.Equal(events, await app.EventCountAsync());
        Assert.Empty(app.StagingFiles());
    }

    [Fact]
    public async Task Identical_content_is_stored_once_and_read_back_verified()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        // Images: no follow-on jobs that would store blobs of their own.
        byte[] bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()];
        await app.WaitForJobsAsync();
        var blobs = app.StoredBlobs().Length;
        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files: ("a.png", "image/png", bytes)))).ReadAsync<object>();
        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files: ("b.png", "image/png", bytes)))).ReadAsync<object>();
        Assert.Equal(blobs + 1, app.StoredBlobs().Length);

        var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        Assert.Equal(2, view.Case.Documents.Count);
        Assert.Single(view.Case.Documents.Select(d => d.Versions[0].Sha256).Distinct());
    }

    [Fact]
    public async Task Stored_bytes_changed_on_disk_are_never_served_as_the_document()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        byte[] bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. System.Text.Encoding.ASCII.GetBytes($"tamper {Guid.NewGuid()}")];
        var doc = (await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files: ("a.png", "image/png", bytes)))).ReadAsync<SubmissionRegisteredDto>()).DocumentIds[0];
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var path = app.StoredBlobs().Single(p => p.EndsWith(sha, StringComparison.Ordinal));
        var tampered = (byte[])bytes.Clone();
        tampered[^3] ^= 0x20;
        await System.IO.File.WriteAllBytesAsync(path, tampered);

        var served = await Record.ExceptionAsync(async () =>
        {
            var response = await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{doc}/versions/1/content");
            var received = await response.Content.ReadAsByteArrayAsync();
            Assert.False(response.IsSuccessStatusCode && received.SequenceEqual(tampered), "tampered bytes were served as a complete, successful response");
        });
        Assert.True(served is null or HttpRequestException or System.IO.IOException, served?.ToString());
    }

    private sealed record SubmissionRegisteredDto(Guid CaseId, Guid SubmissionId, List<Guid> DocumentIds, long Version);
}
