using System.Text.Json;
using System.Text.Json.Serialization;
using ECase.Application.Integrity;
using ECase.Projections.Files;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// <c>ECase.Api verify &lt;file id | file reference | all&gt;</c> (or <c>./ecase.sh verify …</c>): the same check as the
/// auditor endpoint, from the command line. Prints one JSON report per file; exit code 0 intact, 1 mismatch, 2 usage or unknown file.
/// </summary>
public static class IntegrityCli
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, System.IO.TextWriter output, CancellationToken ct = default)
    {
        if (args.Count != 1)
        {
            await output.WriteLineAsync("usage: verify <file id | file reference | all>");
            return 2;
        }

        var integrity = services.GetRequiredService<IIntegrityService>();
        var store = services.GetRequiredService<IDocumentStore>();
        List<Guid> files;
        await using (var session = store.QuerySession())
        {
            files = args[0] == "all" ? [.. await session.Query<FileOverview>().Select(f => f.Id).ToListAsync(ct)]
                : Guid.TryParse(args[0], out var id) ? [id]
                : [.. await session.Query<FileOverview>().Where(f => f.Reference == args[0]).Select(f => f.Id).ToListAsync(ct)];
        }

        var exit = files.Count == 0 ? 2 : 0;
        foreach (var file in files)
        {
            var report = await integrity.VerifyFileAsync(file, ct);
            if (report is null)
            {
                await output.WriteLineAsync($"verify: no file {file}");
                exit = 2;
                continue;
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
            await output.WriteLineAsync(report.Intact
                ? $"OK {report.Reference ?? file.ToString()}: {report.Events} events in {report.Streams} streams, {report.Blobs} blobs ({report.BlobBytes} bytes), {report.Seals} seals, {report.Seconds:F3} s"
                : $"MISMATCH {report.Reference ?? file.ToString()}: {report.FirstMismatch!.Kind} in {report.FirstMismatch.StreamKind} {report.FirstMismatch.StreamId} at version {report.FirstMismatch.Version} (event {report.FirstMismatch.EventId}): {report.FirstMismatch.Detail}");
            if (!report.Intact && exit == 0) exit = 1;
        }

        return exit;
    }
}
