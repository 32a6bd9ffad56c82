using System.Net.Http.Headers;
using ECase.Application.Common;
using ECase.Application.Files;
using ECase.Application.Submissions;

namespace ECase.Integration.Tests;

/// <summary>Given-state built through the API, as a clerk would build it.</summary>
public sealed class Given(ECaseApp app)
{
    private static int _planCounter;

    public HttpClient Registrar { get; } = app.ClientFor("registrar");

    public HttpClient ClerkHa { get; } = app.ClientFor("clerk-ha");

    public HttpClient ClerkOa { get; } = app.ClientFor("clerk-oa");

    public async Task<string> PlanUnitAsync(string? code = null)
    {
        code ??= $"90.{Interlocked.Increment(ref _planCounter)}.{Random.Shared.Next(1, 9999)}";
        var response = await Registrar.PostJsonAsync("/api/file-plan", new { code, title = $"Testeinheit {code}", retentionYears = 10, disposal = "Archive" });
        await response.ReadAsync<CommandResult>();
        return code;
    }

    public async Task<FileOpenedResult> FileAsync(HttpClient? clerk = null, string? planUnit = null, string title = "Bauantrag Musterweg 1")
    {
        planUnit ??= await PlanUnitAsync();
        return await (await (clerk ?? ClerkHa).PostJsonAsync("/api/files", new { title, planUnitCode = planUnit })).ReadAsync<FileOpenedResult>();
    }

    public async Task<CommandResult> CaseAsync(Guid fileId, HttpClient? clerk = null, string title = "Antrag") =>
        await (await (clerk ?? ClerkHa).PostJsonAsync($"/api/files/{fileId}/cases", new { title })).ReadAsync<CommandResult>();

    public async Task<(Guid FileId, Guid CaseId)> FileWithCaseAsync(HttpClient? clerk = null)
    {
        var file = await FileAsync(clerk);
        var c = await CaseAsync(file.Id, clerk);
        return (file.Id, c.Id);
    }

    public static MultipartFormDataContent Submission(string subject = "Antrag auf Baugenehmigung", params (string Name, string MediaType, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(subject), "subject" }, { new StringContent("Email"), "channel" } };
        foreach (var f in files)
        {
            var part = new ByteArrayContent(f.Bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(f.MediaType);
            form.Add(part, "documents", f.Name);
        }

        return form;
    }

    public static byte[] Pdf(string text) => System.Text.Encoding.Latin1.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");

    public async Task<SubmissionRegistered> SubmissionAsync(Guid caseId, HttpClient? clerk = null, string text = "Antrag") =>
        await (await (clerk ?? ClerkHa).PostAsync($"/api/cases/{caseId}/submissions", Submission(files: ("Antrag.pdf", "application/pdf", Pdf(text))))).ReadAsync<SubmissionRegistered>();
}
