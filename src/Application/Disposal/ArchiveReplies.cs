using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Disposal;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wolverine;

namespace ECase.Application.Disposal;

public enum ArchiveReply { OfferReceipt, Appraisal, TransferReceipt, ImportConfirmation }

/// <summary>Archivist: a message from the archive (0504, 0502, 0507, 0506) as XML or xdomea ZIP, already read and checked.</summary>
public sealed record RecordArchiveReply(Guid ProcessId, ArchiveReply Kind, byte[] Message, bool Zip, CurrentUser User);

public sealed record ArchiveReplyRecorded(Guid ProcessId, DisposalStage Stage, long Version, int Objects, string? Receipt);

/// <summary>
/// The archive's messages come in as the request body (application/xml or application/zip). They are read completely
/// (bounded), validated against the XSD, checked against the process (process id, offered or transferred objects) and only
/// then decided on and kept: a refused message leaves no event and no blob (ADR 0016, 0017).
/// </summary>
public static class ArchiveReplyEndpoints
{
    private static readonly (string Path, ArchiveReply Kind, string Name)[] Routes =
    [
        ("offer-receipt", ArchiveReply.OfferReceipt, "RecordOfferReceipt"),
        ("appraisal", ArchiveReply.Appraisal, "RecordAppraisal"),
        ("transfer-receipt", ArchiveReply.TransferReceipt, "RecordTransferReceipt"),
        ("import-confirmation", ArchiveReply.ImportConfirmation, "RecordImportConfirmation"),
    ];

    public static void Map(IEndpointRouteBuilder api)
    {
        foreach (var (path, kind, name) in Routes)
        {
            api.MapPost($"/disposal/processes/{{processId:guid}}/{path}", async (
                    Guid processId, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, IOptions<DisposalOptions> options, CancellationToken ct) =>
                {
                    var bytes = await ReadBodyAsync(request, options.Value.MaxMessageBytes, ct);
                    var zip = bytes is [(byte)'P', (byte)'K', 3, 4, ..];
                    return TypedResults.Ok(await bus.InvokeAsync<ArchiveReplyRecorded>(new RecordArchiveReply(processId, kind, bytes, zip, CurrentUser.From(principal)), ct));
                })
                .Accepts<byte[]>("application/xml", "application/zip")
                .RequireAuthorization(Policies.Archivist).WithName(name).WithTags("Disposal");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
            throw new RequestInvalidException("xdomea-message-too-large", $"The message is larger than {limit} bytes.", status: StatusCodes.Status413PayloadTooLarge);
        using var buffer = new System.IO.MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new RequestInvalidException("xdomea-message-too-large", $"The message is larger than {limit} bytes.", status: StatusCodes.Status413PayloadTooLarge);
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0) throw new RequestInvalidException("xdomea-message-missing", "The request body must hold the xdomea message (XML or ZIP).");
        return buffer.ToArray();
    }
}

public static class RecordArchiveReplyHandler
{
    public static async Task<ArchiveReplyRecorded> Handle(
        RecordArchiveReply cmd, IDocumentSession session, IContentStore store, IArchiveMessages messages, IOptions<DisposalOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<DisposalProcess>(cmd.ProcessId, ct);
        var process = stream.Aggregate;
        if (process is null || !DisposalAccess.CanSee(cmd.User, process)) throw new NotFoundException("disposal process");
        var ctx = clock.ContextFor(cmd.User);
        var parties = new MessageParties(process.Id, process.XdomeaVersion, options.Value.Authority, options.Value.AuthorityUnit, process.Archive.Name);

        // Read and check first; keep the message only once the process accepts it.
        string code;
        Func<ContentRef, ContentRef, Decision> decide; // (message, receipt) → decision
        int objects = 0;
        string? receiptName = null;
        using (var input = new System.IO.MemoryStream(cmd.Message, writable: false))
        {
            switch (cmd.Kind)
            {
                case ArchiveReply.OfferReceipt:
                    messages.ReadReceipt(input, process.Id, "0504");
                    code = "0504";
                    decide = (m, _) => DisposalDecider.Decide(process, new DisposalCommand.RecordOfferReceipt(m), ctx);
                    break;

                case ArchiveReply.TransferReceipt:
                    messages.ReadReceipt(input, process.Id, "0507");
                    code = "0507";
                    decide = (m, _) => DisposalDecider.Decide(process, new DisposalCommand.RecordTransferReceipt(m), ctx);
                    break;

                case ArchiveReply.Appraisal:
                    var appraisal = messages.ReadAppraisal(input, process.Id, process.OfferedObjectIds());
                    var decisions = appraisal.Select(a => new ObjectAppraisal(a.Key, a.Value.ToString())).ToList();
                    objects = decisions.Count;
                    code = "0502";
                    receiptName = DisposalAccess.FileName(process.Id, "0505");
                    decide = (m, r) => DisposalDecider.Decide(process, new DisposalCommand.RecordAppraisal(decisions, m, r), ctx);
                    break;

                case ArchiveReply.ImportConfirmation:
                    var results = messages.ReadImportConfirmation(input, process.Id, process.Transfer is { } t ? t.ObjectIds.ToHashSet() : []);
                    objects = results.Count;
                    code = "0506";
                    var imports = results.Select(r => new ObjectImport(r.ObjectId, r.Succeeded, r.ArchiveReference, r.Errors)).ToList();
                    decide = (m, _) => DisposalDecider.Decide(process, new DisposalCommand.ConfirmImport(imports, m), ctx);
                    break;

                default:
                    throw new ArgumentOutOfRangeException(nameof(cmd));
            }
        }

        // Decided once with placeholders so that a refused step keeps nothing; the 0505 receipt is written only for an accepted appraisal.
        if (decide(Placeholder, Placeholder) is Decision.Rejected early) throw new RejectedException(early.Rejection);
        var name = cmd.Zip ? $"{process.Id}_{DisposalAccess.MessageTypes[code]}.zip" : DisposalAccess.FileName(process.Id, code);
        var kept = await DisposalAccess.KeepAsync(store, cmd.Message, name, cmd.Zip ? "application/zip" : "application/xml", ct);
        var receipt = receiptName is null ? Placeholder
            : await DisposalAccess.KeepAsync(store, messages.WriteAppraisalReceipt(parties, ctx.Now), receiptName, "application/xml", ct);
        var events = decide(kept, receipt).EventsOrThrow();
        stream.AppendMany(events);
        var next = events.Aggregate((DisposalProcess?)process, DisposalProcess.Evolve)!;
        return new ArchiveReplyRecorded(process.Id, next.Stage, (stream.StartingVersion ?? 0) + events.Count, objects, receiptName);
    }

    private static readonly ContentRef Placeholder = new(new string('0', 64), 0, "application/xml", "placeholder.xml");
}
