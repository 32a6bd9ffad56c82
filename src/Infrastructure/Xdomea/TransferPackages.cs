using ECase.Application.Common;
using ECase.Application.Disposal;

namespace ECase.Infrastructure.Xdomea;

/// <summary>The application's port for the 0503 container (<see cref="ITransferPackages"/>) on <see cref="ITransferPackageBuilder"/>.</summary>
public sealed class TransferPackages(ITransferPackageBuilder builder) : ITransferPackages
{
    public async Task<TransferPackageInfo> BuildAsync(TransferRequest request, string outputPath, IProgress<TransferProgressInfo>? progress, CancellationToken ct)
    {
        var selection = new TransferSelection(
            request.ProcessId, ArchiveMessages.Parse(request.Version), new XdomeaParty(request.Authority, request.AuthorityUnit), new XdomeaParty(request.Archive),
            [.. request.Files.Select(f => new TransferredFile(f.FileId, f.ExcludedCases))]);
        try
        {
            var result = await builder.BuildAsync(selection, outputPath, progress is null ? null : new Forward(progress), ct);
            return new TransferPackageInfo(
                result.ZipSha256, result.ZipBytes, result.Files, result.Cases, result.Documents, result.PrimaryFiles, result.TransferredObjectIds, result.Warnings);
        }
        catch (TransferPackageException e)
        {
            throw new RequestInvalidException(e.Code, e.Message);
        }
    }

    /// <summary>Passes progress on synchronously (not <c>Progress&lt;T&gt;</c>, which posts to a synchronization context).</summary>
    private sealed class Forward(IProgress<TransferProgressInfo> inner) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => inner.Report(new TransferProgressInfo(value.ObjectsDone, value.ObjectsTotal, value.BytesDone, value.BytesTotal));
    }
}
