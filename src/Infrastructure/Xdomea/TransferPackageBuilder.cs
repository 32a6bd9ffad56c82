using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using ECase.Application.Content;
using ECase.Application.Integrity;
using Marten;
using FileStream = System.IO.FileStream;
using Stream = System.IO.Stream;

namespace ECase.Infrastructure.Xdomea;

/// <summary>
/// Builds the xdomea 0503 container (ADR 0016): the primary files, streamed from the content store (which verifies
/// each blob's hash as it is read) into stored ZIP entries with a pooled buffer; the message, written with an
/// XmlWriter into its entry; the integrity evidence; and a SHA-256 manifest of all of them. Memory is bounded by
/// the metadata of the selection (O(1) per document version), never by content.
/// </summary>
public sealed class TransferPackageBuilder(IDocumentStore store, IContentStore content, IIntegrityService integrity, TimeProvider clock) : ITransferPackageBuilder
{
    private const int BufferSize = 256 * 1024;

    /// <summary>Writeback of the container is started every this many bytes, so the final fsync does not wait for all of it.</summary>
    private const long WritebackBytes = 32L * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for people and tools, not for a web page: quotes and umlauts stay readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<TransferPackageResult> BuildAsync(TransferSelection selection, string outputPath, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (selection.Files.Count == 0) throw new ArgumentException("A transfer holds at least one file.", nameof(selection));

        var at = clock.GetUtcNow();
        var warnings = new List<string>();
        IReadOnlyList<PlannedFile> files;
        await using (var session = store.QuerySession())
            files = await TransferPlanner.LoadAsync(session, selection, warnings, ct);
        var evidence = await EvidenceAsync(selection.ProcessId, at, files, warnings, ct);

        try
        {
            // Copying is blocking file I/O for seconds to minutes: on a thread of its own, not on the pool's.
            var (primaryFiles, zipBytes, zipSha256) = await Task.Factory.StartNew(
                () => WriteZip(selection, outputPath, files, evidence, at, progress, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var cases = files.SelectMany(f => f.Cases).ToList();
            var documents = cases.SelectMany(c => c.Documents).ToList();
            IReadOnlyList<Guid> ids = [.. files.SelectMany(f => (IEnumerable<Guid>)[f.Metadata.Id, .. f.Cases.SelectMany(c => (IEnumerable<Guid>)[c.Metadata.Id, .. c.Documents.Select(d => d.Id)])])];
            return new TransferPackageResult(zipSha256, zipBytes, files.Count, cases.Count, documents.Count, primaryFiles, ids, warnings);
        }
        catch
        {
            // Never a half-written container where the caller looks for a finished one.
            DeleteQuietly(outputPath);
            throw;
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            // The original failure is what the caller needs to see (e.g. the folder does not exist).
        }
    }

    private (int PrimaryFiles, long ZipBytes, string ZipSha256) WriteZip(
        TransferSelection selection, string outputPath, IReadOnlyList<PlannedFile> files, IntegrityEvidenceDocument evidence, DateTimeOffset at,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var formats = files.SelectMany(f => f.Cases).SelectMany(c => c.Documents).SelectMany(d => d.Versions).ToList();
        var reporter = new ProgressReporter(progress, formats.Count, formats.Sum(v => v.Formats.Sum(f => f.Content.Size)));
        var entryTime = TransferPlanner.AgencyTime(at);
        var manifest = new List<(string Name, string Sha256)>();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var output = new FileStream(outputPath, System.IO.FileMode.Create, System.IO.FileAccess.Write, System.IO.FileShare.Read, 64 * 1024);
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
            {
                var integrityEntry = TransferPackage.IntegrityEntry(selection.ProcessId);
                manifest.Add((integrityEntry, WriteEntry(zip, integrityEntry, entryTime, stream => JsonSerializer.Serialize(stream, evidence, Json))));

                long writtenBack = 0;
                reporter.Report(force: true);
                foreach (var version in formats)
                {
                    foreach (var format in version.Formats)
                    {
                        ct.ThrowIfCancellationRequested();
                        Copy(zip, format, entryTime, buffer, reporter, ct);
                        manifest.Add((format.EntryName, format.Content.Sha256));
                        if (reporter.BytesDone - writtenBack >= WritebackBytes)
                        {
                            Content.FsyncNative.StartWriteback(output.SafeFileHandle);
                            writtenBack = reporter.BytesDone;
                        }
                    }

                    reporter.ObjectDone();
                }

                ct.ThrowIfCancellationRequested();
                var messageEntry = TransferPackage.MessageEntry(selection.ProcessId);
                manifest.Add((messageEntry, WriteEntry(zip, messageEntry, entryTime, stream =>
                {
                    using var xml = XmlWriter.Create(stream, TransferMessage.Settings);
                    TransferMessage.Write(xml, selection, at, files);
                })));

                WriteEntry(zip, TransferPackage.ManifestEntry(selection.ProcessId), entryTime, stream =>
                {
                    using var text = new System.IO.StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
                    foreach (var (name, sha) in manifest) text.WriteLine($"{sha}  {name}");
                });
            }

            // The caller renames the file into place and may delete the sources after the archive confirms: durable first.
            output.Flush(flushToDisk: true);
            var (zipBytes, zipSha256) = HashFile(outputPath, buffer, ct);
            reporter.Report(force: true);
            return (formats.Sum(v => v.Formats.Count), zipBytes, zipSha256);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The finished container, read back once from the page cache (its local headers were patched after each entry, so it could not be hashed while written).</summary>
    private static (long Bytes, string Sha256) HashFile(string path, byte[] buffer, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite, bufferSize: 0, System.IO.FileOptions.SequentialScan);
        long total = 0;
        int read;
        while ((read = file.Read(buffer, 0, BufferSize)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, read);
            total += read;
        }

        return (total, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>One primary file: read from the store (hash verified at its end), stored uncompressed unless it is text.</summary>
    private void Copy(ZipArchive zip, PlannedFormat format, DateTimeOffset entryTime, byte[] buffer, ProgressReporter reporter, CancellationToken ct)
    {
        var entry = zip.CreateEntry(format.EntryName, TransferFormats.Compressible(format.Content.MediaType) ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
        entry.LastWriteTime = entryTime;
        var sniffer = format.Rendition is null && format.Content.MediaType == "application/pdf" ? new TransferFormats.PdfSniffer() : null;
        long copied = 0;
        using (var source = content.OpenRead(format.Content.Sha256))
        using (var target = entry.Open())
        {
            int read;
            while ((read = source.Read(buffer, 0, BufferSize)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                sniffer?.Observe(buffer.AsSpan(0, read));
                target.Write(buffer, 0, read);
                copied += read;
                reporter.Bytes(read);
            }
        }

        if (copied != format.Content.Size)
            throw new System.IO.InvalidDataException($"Stored content {format.Content.Sha256} has {copied} bytes; its events say {format.Content.Size}.");
        if (sniffer is null) return;
        if (sniffer.PdfAVersion() is { } pdfa)
        {
            format.Code = TransferFormats.PdfA;
            format.Version = pdfa;
        }
        else
        {
            format.Version = sniffer.HeaderVersion ?? "";
        }
    }

    private static string WriteEntry(ZipArchive zip, string name, DateTimeOffset entryTime, Action<Stream> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        entry.LastWriteTime = entryTime;
        using var target = entry.Open();
        using var hashing = new HashingStream(target);
        write(hashing);
        hashing.Flush();
        return hashing.Sha256();
    }

    /// <summary>
    /// The evidence of every file, sealed if a head is newer than its latest seal (so the archive can check each head
    /// against a signed root); only the streams that are transferred.
    /// </summary>
    private async Task<IntegrityEvidenceDocument> EvidenceAsync(Guid processId, DateTimeOffset at, IReadOnlyList<PlannedFile> files, List<string> warnings, CancellationToken ct)
    {
        var loaded = await LoadEvidenceAsync(files, ct);
        if (loaded.Any(e => e.Evidence is null || e.Streams.Any(s => s.HeadNewerThanSeal)))
        {
            await integrity.SealAsync(ct);
            loaded = await LoadEvidenceAsync(files, ct);
        }

        var entries = new List<TransferredFileEvidence>(files.Count);
        foreach (var (file, evidence, streams) in loaded)
        {
            var reference = file.Metadata.Reference;
            if (evidence is null)
            {
                warnings.Add($"File {reference}: no hash chain yet, so no integrity evidence for it.");
                entries.Add(new TransferredFileEvidence(file.Metadata.Id, reference, null, [], null));
                continue;
            }

            var versions = file.Cases.ToDictionary(c => c.Metadata.Id, c => c.StreamVersion);
            versions[file.Metadata.Id] = file.StreamVersion;
            var lagging = streams.Count(s => s.HeadVersion < versions.GetValueOrDefault(s.StreamId)) + versions.Keys.Count(id => streams.All(s => s.StreamId != id));
            if (lagging > 0) warnings.Add($"File {reference}: the hash chain of {lagging} stream(s) does not reach their latest events yet.");
            var unsealed = streams.Count(s => s.HeadNewerThanSeal);
            if (unsealed > 0) warnings.Add($"File {reference}: {unsealed} stream head(s) are newer than their latest seal.");
            entries.Add(new TransferredFileEvidence(file.Metadata.Id, reference, evidence.File, [.. streams.Skip(1)], evidence.ServerCertificatePem));
        }

        return new IntegrityEvidenceDocument(IntegrityEvidenceDocument.FormatName, processId, at, IntegrityEvidenceDocument.ChainRule, IntegrityEvidenceDocument.SealRule, entries);
    }

    private async Task<List<(PlannedFile File, FileIntegrityEvidence? Evidence, IReadOnlyList<StreamEvidence> Streams)>> LoadEvidenceAsync(
        IReadOnlyList<PlannedFile> files, CancellationToken ct)
    {
        var result = new List<(PlannedFile, FileIntegrityEvidence?, IReadOnlyList<StreamEvidence>)>(files.Count);
        foreach (var file in files)
        {
            var evidence = await integrity.EvidenceAsync(file.Metadata.Id, ct);
            var transferred = file.Cases.Select(c => c.Metadata.Id).ToHashSet();
            IReadOnlyList<StreamEvidence> streams = evidence is null ? [] : [evidence.File, .. evidence.Cases.Where(c => transferred.Contains(c.StreamId))];
            result.Add((file, evidence, streams));
        }

        return result;
    }

    /// <summary>Reports at most every 250 ms, and always at the start and the end.</summary>
    private sealed class ProgressReporter(IProgress<TransferProgress>? progress, int objectsTotal, long bytesTotal)
    {
        private static readonly long Interval = Stopwatch.Frequency / 4;
        private long _last = Stopwatch.GetTimestamp();
        private int _objects;
        private long _bytes;

        public long BytesDone => _bytes;

        public void Bytes(long n)
        {
            _bytes += n;
            Report();
        }

        public void ObjectDone()
        {
            _objects++;
            Report();
        }

        public void Report(bool force = false)
        {
            if (progress is null) return;
            var now = Stopwatch.GetTimestamp();
            if (!force && now - _last < Interval) return;
            _last = now;
            progress.Report(new TransferProgress(_objects, objectsTotal, _bytes, bytesTotal));
        }
    }

    /// <summary>Hashes what passes through on its way into a ZIP entry (message, evidence) for the manifest.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public string Sha256() => Convert.ToHexStringLower(_sha.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _sha.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _sha.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// <c>&lt;ProzessID&gt;_integrity.json</c>: for each transferred file the chain heads of its file stream and of the
/// transferred case streams, each with its latest seal (signed statement naming the Merkle root) and the inclusion
/// proof of its leaf, and the server certificate that signed the seals (ADR 0013).
/// </summary>
internal sealed record IntegrityEvidenceDocument(
    string Format, Guid ProcessId, DateTimeOffset CreatedAt, string Chain, string Seal, IReadOnlyList<TransferredFileEvidence> Files)
{
    public const string FormatName = "ecase-integrity-evidence-1";

    public const string ChainRule =
        "h(v) = SHA-256(\"ecase-chain-1\\0\" || h(v-1) || canonical(v)), h(0) = 32 zero bytes; canonical(v) = PostgreSQL's " +
        "jsonb_build_array(seq_id, id, stream_id, version, type, mt_dotnet_type, tenant_id, timestamp in integer microseconds, data)::text of the stored event";

    public const string SealRule =
        "leaf = SHA-256(0x00 || \"<stream id>:<version>:\" || head), node = SHA-256(0x01 || left || right), an odd node moves up unchanged; " +
        "proof steps from the leaf up (siblingOnLeft: sibling || hash); the statement names the root and is signed (CMS, detached, base64) with the server certificate";
}

internal sealed record TransferredFileEvidence(Guid FileId, string Reference, StreamEvidence? File, IReadOnlyList<StreamEvidence> Cases, string? ServerCertificatePem);
