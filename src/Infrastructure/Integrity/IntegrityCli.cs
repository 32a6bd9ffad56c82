using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ECase.Application.Integrity;
using ECase.Projections.Files;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// <c>ECase.Api verify [file id | file reference | all] [--no-content]</c> (or <c>./ecase.sh verify …</c>): the same check
/// as the auditor endpoint, from the command line. One file: its JSON report. No argument, <c>all</c> or <c>--all</c>: the
/// whole store in one pass (<see cref="IIntegrityService.VerifyAllAsync"/>), progress on stderr, one JSON report with the
/// files that do not match; <c>--no-content</c> leaves out rehashing the blobs. Exit code 0 intact, 1 mismatch, 2 usage
/// or unknown file.
/// </summary>
public static class IntegrityCli
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static async Task<int> RunAsync(
        IServiceProvider services, IReadOnlyList<string> args, System.IO.TextWriter output, CancellationToken ct = default, System.IO.TextWriter? progress = null)
    {
        var noContent = args.Contains("--no-content");
        var rest = args.Where(a => a != "--no-content").ToList();
        var integrity = services.GetRequiredService<IIntegrityService>();
        if (rest is [] or ["all"] or ["--all"]) return await VerifyAllAsync(integrity, !noContent, output, progress ?? Console.Error, ct);
        if (rest.Count != 1 || noContent || rest[0].StartsWith('-'))
        {
            await output.WriteLineAsync("usage: verify [<file id | file reference> | all] [--no-content]   (no argument: all; --no-content: all without rehashing blobs)");
            return 2;
        }

        List<Guid> files;
        await using (var session = services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            files = Guid.TryParse(rest[0], out var id) ? [id]
                : [.. await session.Query<FileOverview>().Where(f => f.Reference == rest[0]).Select(f => f.Id).ToListAsync(ct)];
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
                : Mismatch(report.Reference ?? file.ToString(), report.FirstMismatch!));
            if (!report.Intact && exit == 0) exit = 1;
        }

        return exit;
    }

    private static async Task<int> VerifyAllAsync(IIntegrityService integrity, bool content, System.IO.TextWriter output, System.IO.TextWriter progress, CancellationToken ct)
    {
        var line = new ProgressLine(progress);
        var report = await integrity.VerifyAllAsync(content, line, ct);
        line.Done();
        await output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
        foreach (var file in report.Files) await output.WriteLineAsync(Mismatch(file.Reference ?? file.FileId.ToString(), file.FirstMismatch));
        foreach (var p in report.OtherProblems) await output.WriteLineAsync(Mismatch(p.StreamKind, p));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{report.Events} events in {report.Streams} streams ({report.FileStreams} files), {report.UnchainedEvents} not chained yet, {report.Seals} seals, "
            + $"{(content ? $"{report.Blobs} blobs ({report.BlobBytes} bytes)" : "blobs not checked")}, {report.Seconds:F3} s");
        await output.WriteLineAsync(report.Intact
            ? $"OK store: {summary}"
            : $"MISMATCH store: {report.Files.Count} files and {report.OtherProblems.Count} other problems; {summary}");
        return report.Intact ? 0 : 1;
    }

    private static string Mismatch(string what, IntegrityProblem p) =>
        p.StreamId == Guid.Empty
            ? $"MISMATCH {what}: {p.Kind}: {p.Detail}"
            : $"MISMATCH {what}: {p.Kind} in {p.StreamKind} {p.StreamId} at version {p.Version} (event {p.EventId}): {p.Detail}";

    /// <summary>One progress line on stderr: rewritten in place on a terminal, a line every 5 seconds into a log.</summary>
    private sealed class ProgressLine(System.IO.TextWriter writer) : IProgress<VerificationProgress>
    {
        private readonly bool _terminal = writer == Console.Error && !Console.IsErrorRedirected;
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _last = TimeSpan.MinValue;
        private string _phase = "";
        private int _width;

        public void Report(VerificationProgress value)
        {
            if (!_terminal && value.Phase == _phase && _watch.Elapsed - _last < TimeSpan.FromSeconds(5)) return;
            _last = _watch.Elapsed;
            _phase = value.Phase;
            var inv = CultureInfo.InvariantCulture;
            var text = value.Phase == "content"
                ? string.Create(inv, $"verify: content {value.Blobs:N0}/{value.TotalBlobs:N0} blobs, {value.BlobBytes / 1e6:N0} MB, {_watch.Elapsed.TotalSeconds:F1} s")
                : string.Create(inv, $"verify: {value.Phase} {value.Events:N0}/{value.TotalEvents:N0} events ({(value.TotalEvents == 0 ? 100 : 100.0 * value.Events / value.TotalEvents):F0} %), {_watch.Elapsed.TotalSeconds:F1} s");
            if (!_terminal)
            {
                writer.WriteLine(text);
                return;
            }

            writer.Write("\r" + text.PadRight(_width));
            _width = text.Length;
        }

        public void Done()
        {
            if (_terminal && _width > 0) writer.WriteLine();
        }
    }
}
