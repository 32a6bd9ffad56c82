using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using ECase.Api.Demo;
using ECase.Application.Common;
using ECase.Application.Integrity;
using ECase.Application.Submissions;
using ECase.Domain.Cases;
using ECase.Domain.Integrity;
using ECase.Infrastructure.Xdomea;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Integration.Tests.Disposal;

/// <summary>
/// The 0503 container built from the real stack: a closed file with a case to transfer (a born-digital PDF that got its
/// PDF/A-2b rendition and a second version, and a text note without one) and a case appraised V that stays behind.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TransferPackageTests(ECaseApp app)
{
    private static readonly Dictionary<ECaseApp, Task<Scenario>> Scenarios = [];
    private static readonly XdomeaParty Agency = new("Stadt Musterstadt", "Hauptamt");
    private static readonly XdomeaParty Archive = new("Stadtarchiv Musterstadt");

    private sealed record Scenario(Guid FileId, Guid KeptCaseId, Guid ExcludedCaseId, Guid LetterId, Guid NoteId, Guid ExcludedDocumentId);

    private sealed record Package(Guid ProcessId, TransferPackageResult Result, Dictionary<string, byte[]> Entries, XDocument Message, XNamespace X)
    {
        public string MessageName => TransferPackage.MessageEntry(ProcessId);

        public XElement DocumentElement(Guid id) => Message.Descendants(X + "Dokument").Single(d => d.Element(X + "Identifikation")!.Element(X + "ID")!.Value == id.ToString());
    }

    private Task<Scenario> ScenarioAsync()
    {
        lock (Scenarios)
        {
            if (!Scenarios.TryGetValue(app, out var scenario)) Scenarios[app] = scenario = CreateScenarioAsync();
            return scenario;
        }
    }

    private async Task<Scenario> CreateScenarioAsync()
    {
        var given = new Given(app);
        var file = await given.FileAsync(title: "Neubau Garage, Birkenweg 4");
        var kept = await given.CaseAsync(file.Id, title: "Bauantrag");
        var excluded = await given.CaseAsync(file.Id, title: "Werbesendungen");

        var letter = await (await given.ClerkHa.PostAsync($"/api/cases/{kept.Id}/submissions", Given.Submission("Bauantrag mit Lageplan",
            ("Bauantrag.pdf", "application/pdf", DemoPdf.Create("Antrag auf Baugenehmigung, Birkenweg 4"))))).ReadAsync<SubmissionRegistered>();
        var letterId = letter.DocumentIds[0];
        await WaitForRenditionAsync(kept.Id, letterId);
        using (var form = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent("Nachtrag: Stellplatz verschoben.\n"u8.ToArray());
            part.Headers.ContentType = new("text/plain");
            form.Add(part, "file", "Nachtrag.txt");
            await (await given.ClerkHa.PostAsync($"/api/cases/{kept.Id}/documents/{letterId}/versions", form)).ReadAsync<CommandResult>();
        }

        var note = await (await given.ClerkHa.PostAsync($"/api/cases/{kept.Id}/submissions", Given.Submission("Telefonnotiz",
            ("Notiz.txt", "text/plain", "Rückruf des Bauherrn am Montag.\n"u8.ToArray())))).ReadAsync<SubmissionRegistered>();
        var junk = await given.SubmissionAsync(excluded.Id, text: "Werbung");
        await app.WaitForJobsAsync();

        foreach (var caseId in new[] { kept.Id, excluded.Id })
            await (await given.ClerkHa.PostAsync($"/api/cases/{caseId}/close", null)).ReadAsync<CommandResult>();
        await (await given.ClerkHa.PostAsync($"/api/files/{file.Id}/close", null)).ReadAsync<CommandResult>();
        await app.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        return new Scenario(file.Id, kept.Id, excluded.Id, letterId, note.DocumentIds[0], junk.DocumentIds[0]);
    }

    private async Task WaitForRenditionAsync(Guid caseId, Guid documentId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await using (var session = app.Store.QuerySession())
            {
                var state = await session.Events.AggregateStreamAsync<Case>(caseId);
                if (state!.Documents[documentId].Versions[0].Renditions.Count > 0) return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("no PDF/A rendition");
            await Task.Delay(100);
        }
    }

    private async Task<Package> BuildAsync(XdomeaVersion version = XdomeaVersion.V3_1_0)
    {
        var scenario = await ScenarioAsync();
        var processId = Guid.NewGuid();
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}.zip");
        try
        {
            var builder = app.Services.GetRequiredService<ITransferPackageBuilder>();
            var selection = new TransferSelection(processId, version, Agency, Archive,
                [new TransferredFile(scenario.FileId, new HashSet<Guid> { scenario.ExcludedCaseId })]);
            var result = await builder.BuildAsync(selection, path, null, CancellationToken.None);

            var bytes = await System.IO.File.ReadAllBytesAsync(path);
            Assert.Equal(bytes.Length, result.ZipBytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.ZipSha256);
            var entries = new Dictionary<string, byte[]>();
            using (var zip = new ZipArchive(new System.IO.MemoryStream(bytes), ZipArchiveMode.Read))
            {
                foreach (var entry in zip.Entries)
                {
                    using var content = new System.IO.MemoryStream();
                    using (var stream = entry.Open()) await stream.CopyToAsync(content);
                    entries.Add(entry.FullName, content.ToArray());
                }
            }

            var read = XdomeaSchemas.Read(new System.IO.MemoryStream(entries[TransferPackage.MessageEntry(processId)]));
            Assert.True(read.Ok, string.Join("\n", read.Problems.Select(p => $"{p.Line}:{p.Position} {p.Message}")));
            return new Package(processId, result, entries, read.Document!, XdomeaSchemas.Namespace(version));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Theory]
    [InlineData(XdomeaVersion.V3_1_0)]
    [InlineData(XdomeaVersion.V3_0_0)]
    public async Task The_message_is_valid_against_the_official_schema_in_NET_and_xmllint(XdomeaVersion version)
    {
        var package = await BuildAsync(version);
        Assert.Equal(TransferPackage.MessageType, package.Message.Root!.Name.LocalName);
        Assert.Equal(XdomeaSchemas.Prefix, package.Message.Root.GetPrefixOfNamespace(package.X));

        var dir = Extract(package);
        try
        {
            var schema = System.IO.Path.Combine(XdomeaSchemas.Folder, XdomeaSchemas.VersionNumber(version), "xdomea-Nachrichten-AussonderungDurchfuehren.xsd");
            var (exit, output) = await RunAsync(dir, "xmllint", "--noout", "--schema", schema, package.MessageName);
            Assert.True(exit == 0, output);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Every_primary_file_named_in_the_message_is_in_the_container_and_nothing_else()
    {
        var package = await BuildAsync();
        var named = package.Message.Descendants(package.X + "Dateiname").Select(d => d.Value).ToList();
        Assert.Equal(named.Count, named.Distinct().Count());
        Assert.All(named, n => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.[a-z]+$", n));
        string[] beside = [package.MessageName, TransferPackage.ManifestEntry(package.ProcessId), TransferPackage.IntegrityEntry(package.ProcessId)];
        Assert.Equal(named.Concat(beside).Order(StringComparer.Ordinal), package.Entries.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(named.Count, package.Result.PrimaryFiles);
        string[] objects = ["Akte", "Teilakte", "Vorgang", "Teilvorgang", "Dokument", "Anlage"];
        var depth = package.Message.Descendants().Where(e => objects.Contains(e.Name.LocalName)).Max(e => e.AncestorsAndSelf().Count(a => objects.Contains(a.Name.LocalName)));
        Assert.Equal(3, depth);
    }

    [Fact]
    public async Task The_manifest_covers_every_other_entry_and_sha256sum_accepts_it()
    {
        var package = await BuildAsync();
        var manifest = System.Text.Encoding.UTF8.GetString(package.Entries[TransferPackage.ManifestEntry(package.ProcessId)]);
        var lines = manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (Hash: l[..64], Name: l[66..])).ToList();
        Assert.Equal(package.Entries.Keys.Where(k => k != TransferPackage.ManifestEntry(package.ProcessId)).Order(StringComparer.Ordinal), lines.Select(l => l.Name).Order(StringComparer.Ordinal));
        Assert.All(lines, l => Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(package.Entries[l.Name])), l.Hash));

        var dir = Extract(package);
        try
        {
            var (exit, output) = await RunAsync(dir, "sha256sum", "--check", "--strict", TransferPackage.ManifestEntry(package.ProcessId));
            Assert.True(exit == 0, output);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_case_appraised_V_and_its_documents_stay_behind()
    {
        var scenario = await ScenarioAsync();
        var package = await BuildAsync();
        var xml = package.Message.ToString();
        Assert.DoesNotContain(scenario.ExcludedCaseId.ToString(), xml, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.ExcludedDocumentId.ToString(), xml, StringComparison.Ordinal);
        Assert.DoesNotContain("Werbesendungen", xml, StringComparison.Ordinal);
        Assert.Equal([scenario.KeptCaseId.ToString()], package.Message.Descendants(package.X + "Vorgang").Select(v => v.Element(package.X + "Identifikation")!.Element(package.X + "ID")!.Value));

        Assert.Equal(1, package.Result.Files);
        Assert.Equal(1, package.Result.Cases);
        Assert.Equal(2, package.Result.Documents);
        Assert.Equal([scenario.FileId, scenario.KeptCaseId, scenario.LetterId, scenario.NoteId], package.Result.TransferredObjectIds);
    }

    [Fact]
    public async Task A_version_with_a_PDF_A_rendition_carries_it_first_and_the_original_second()
    {
        var scenario = await ScenarioAsync();
        var package = await BuildAsync();
        var x = package.X;
        var versions = package.DocumentElement(scenario.LetterId).Elements(x + "Version").ToList();
        Assert.Equal(["1", "2"], versions.Select(v => v.Element(x + "Nummer")!.Value));

        var first = versions[0].Elements(x + "Format").ToList();
        Assert.Equal(["044", "018"], first.Select(f => f.Element(x + "Name")!.Element("code")!.Value));
        Assert.Equal("2b", first[0].Element(x + "Version")!.Value);
        Assert.Equal("Bauantrag.pdf", first[1].Descendants(x + "DateinameOriginal").Single().Value);
        var archival = package.Entries[first[0].Descendants(x + "Dateiname").Single().Value];
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(archival, 0, 5), StringComparison.Ordinal);
        Assert.Contains("pdfaid:part", System.Text.Encoding.Latin1.GetString(archival), StringComparison.Ordinal);

        var second = Assert.Single(versions[1].Elements(x + "Format"));
        Assert.Equal("045", second.Element(x + "Name")!.Element("code")!.Value);
        Assert.Equal("Nachtrag: Stellplatz verschoben.\n", System.Text.Encoding.UTF8.GetString(package.Entries[second.Descendants(x + "Dateiname").Single().Value]));

        Assert.Contains(package.Result.Warnings, w => w.Contains(scenario.NoteId.ToString(), StringComparison.Ordinal) && w.Contains("no PDF/A rendition", StringComparison.Ordinal));
        Assert.Contains(package.Result.Warnings, w => w.Contains(scenario.LetterId.ToString(), StringComparison.Ordinal) && w.Contains("version 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_entries_say_who_did_what_when_for_file_case_and_document()
    {
        var scenario = await ScenarioAsync();
        var package = await BuildAsync();
        var x = package.X;
        static List<string> Actions(XElement e, XNamespace x) => [.. e.Elements(x + "HistorienProtokollInformation").Select(h => h.Element(x + "Aktion")!.Value)];

        var akte = package.Message.Descendants(x + "Akte").Single();
        Assert.Equal(["Akte angelegt", "Akte zu den Akten verfügt (zdA)"], Actions(akte, x));
        Assert.Equal("true", akte.Element(x + "ZdA")!.Value);
        var vorgang = akte.Descendants(x + "Vorgang").Single();
        Assert.Equal(["Vorgang angelegt", "Eingang registriert", "Eingang registriert", "Vorgang abgeschlossen"], Actions(vorgang, x));
        var letter = Actions(package.DocumentElement(scenario.LetterId), x);
        Assert.Equal("Dokument hinzugefügt (Version 1)", letter[0]);
        Assert.Contains("Archivformat PDF/A-2b erzeugt (Version 1)", letter);
        Assert.Contains("Version 2 hinzugefügt", letter);

        var first = akte.Elements(x + "HistorienProtokollInformation").First();
        Assert.Equal("clerk-ha (HA)", first.Element(x + "Akteur")!.Value);
        Assert.True(DateTimeOffset.Parse(first.Element(x + "DatumUhrzeit")!.Value, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddHours(-1));
    }

    [Fact]
    public async Task The_integrity_evidence_names_the_chain_head_and_a_seal_that_covers_it()
    {
        var scenario = await ScenarioAsync();
        var package = await BuildAsync();
        using var json = JsonDocument.Parse(package.Entries[TransferPackage.IntegrityEntry(package.ProcessId)]);
        var file = Assert.Single(json.RootElement.GetProperty("files").EnumerateArray());
        var evidence = await app.Services.GetRequiredService<IIntegrityService>().EvidenceAsync(scenario.FileId, CancellationToken.None);
        var head = file.GetProperty("file");
        Assert.Equal(evidence!.File.HeadHash, head.GetProperty("headHash").GetString());
        Assert.Contains("BEGIN CERTIFICATE", file.GetProperty("serverCertificatePem").GetString(), StringComparison.Ordinal);

        var streams = (IEnumerable<JsonElement>)[head, .. file.GetProperty("cases").EnumerateArray()];
        Assert.Equal([scenario.FileId, scenario.KeptCaseId], streams.Select(s => s.GetProperty("streamId").GetGuid()));
        foreach (var stream in streams)
        {
            var parsed = stream.Deserialize<StreamEvidence>(ECaseApp.Json)!;
            var seal = parsed.LatestSeal!;
            Assert.False(parsed.HeadNewerThanSeal);
            Assert.Equal(parsed.HeadHash, Convert.ToHexStringLower(Convert.FromHexString(seal.LeafHash)));
            Assert.True(MerkleTree.VerifyProof(new SealLeaf(parsed.StreamId, seal.LeafVersion, Convert.FromHexString(seal.LeafHash)), seal.Proof, Convert.FromHexString(seal.Seal.Root)));
        }
    }

    [Fact]
    public async Task Progress_reaches_the_total_and_a_cancelled_build_leaves_no_file()
    {
        var scenario = await ScenarioAsync();
        var builder = app.Services.GetRequiredService<ITransferPackageBuilder>();
        var selection = new TransferSelection(Guid.NewGuid(), XdomeaVersion.V3_1_0, Agency, Archive, [new TransferredFile(scenario.FileId, new HashSet<Guid>())]);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}.zip");

        var reports = new List<TransferProgress>();
        var result = await builder.BuildAsync(selection, path, new Recorder(reports.Add), CancellationToken.None);
        System.IO.File.Delete(path);
        Assert.Equal(2, result.Cases);
        Assert.Equal(new TransferProgress(0, 4, 0, reports[0].BytesTotal), reports[0]);
        Assert.Equal(new TransferProgress(4, 4, reports[0].BytesTotal, reports[0].BytesTotal), reports[^1]);

        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => builder.BuildAsync(selection, path, new Recorder(_ => cancel.Cancel()), cancel.Token));
        Assert.False(System.IO.File.Exists(path));

        var unknown = selection with { Files = [new TransferredFile(Guid.NewGuid(), new HashSet<Guid>())] };
        var refused = await Assert.ThrowsAsync<TransferPackageException>(() => builder.BuildAsync(unknown, path, null, CancellationToken.None));
        Assert.Equal("transfer-file-unknown", refused.Code);
        Assert.False(System.IO.File.Exists(path));
    }

    private sealed class Recorder(Action<TransferProgress> report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(value);
    }

    private static string Extract(Package package)
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(dir);
        foreach (var (name, bytes) in package.Entries) System.IO.File.WriteAllBytes(System.IO.Path.Combine(dir, name), bytes);
        return dir;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string directory, string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
