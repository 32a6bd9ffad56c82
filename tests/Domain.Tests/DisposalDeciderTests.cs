using ECase.Domain.Cases;
using ECase.Domain.Disposal;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using static ECase.Domain.Tests.Fixtures;

namespace ECase.Domain.Tests;

public sealed class DisposalDeciderTests() : DeciderSpec<DisposalProcess, DisposalCommand>(DisposalProcess.Evolve, DisposalDecider.Decide)
{
    private static readonly Guid ProcessId = Id(900);
    private static readonly ArchiveParty Archive = new("ARCH", "Stadtarchiv");
    private static readonly ContentRef Msg = new(new string('a', 64), 100, "application/xml", "m.xml");
    private static readonly DisposalFile FileA = new(Id(10), "HA-1-0001/2020", "Bauakte", [Id(11), Id(12)]);
    private static readonly DisposalFile FileV = new(Id(20), "HA-1-0002/2020", "Kleinkram", [Id(21)]);

    private static readonly FilesOfferedToArchive Offered = new(ProcessId, Archive, "3.1.0", [FileA, FileV], Msg, Registrar, Now);

    private static AppraisalRecorded Appraised(params (Guid Id, string Decision)[] decisions) =>
        new(ProcessId, [.. decisions.Select(d => new ObjectAppraisal(d.Id, d.Decision))], Msg, Msg, Clerk, Now);

    [Fact]
    public void An_offer_names_each_file_once()
    {
        GivenNothing().When(new DisposalCommand.Offer(ProcessId, Archive, "3.1.0", [], Msg)).ThenRejected(DisposalRejections.NoFiles);
        GivenNothing().When(new DisposalCommand.Offer(ProcessId, Archive, "3.1.0", [FileA, FileA], Msg)).ThenRejected(DisposalRejections.FileTwice);
    }

    [Fact]
    public void An_appraisal_must_decide_every_offered_file()
    {
        Given(Offered)
            .When(new DisposalCommand.RecordAppraisal([new ObjectAppraisal(FileA.FileId, "A")], Msg, Msg))
            .ThenRejected(DisposalRejections.AppraisalIncomplete);
    }

    [Fact]
    public void A_case_cannot_be_archived_inside_a_destroyed_file()
    {
        Given(Offered)
            .When(new DisposalCommand.RecordAppraisal(
                [new(FileA.FileId, "A"), new(FileV.FileId, "V"), new(Id(21), "A")], Msg, Msg))
            .ThenRejected(DisposalRejections.AppraisalInconsistent);
    }

    [Fact]
    public void The_transfer_carries_the_A_files_and_their_cases_except_those_appraised_V()
    {
        var state = Fold(Offered, Appraised((FileA.FileId, "A"), (Id(12), "V"), (FileV.FileId, "V")))!;
        Assert.Equal(DisposalStage.Appraised, state.Stage);
        Assert.Equal(new HashSet<Guid> { FileA.FileId, Id(11) }, state.TransferObjectIds());
    }

    [Fact]
    public void A_second_appraisal_is_refused()
    {
        Given(Offered, Appraised((FileA.FileId, "A"), (FileV.FileId, "V")))
            .When(new DisposalCommand.RecordAppraisal([new(FileA.FileId, "A"), new(FileV.FileId, "V")], Msg, Msg))
            .ThenRejected(DisposalRejections.WrongStage);
    }

    [Fact]
    public void Destruction_waits_for_the_import_confirmation_when_something_is_archived()
    {
        var appraised = Appraised((FileA.FileId, "A"), (FileV.FileId, "V"));
        Given(Offered, appraised).When(new DisposalCommand.Complete([], [], Msg)).ThenRejected(DisposalRejections.WrongStage);
        Given(Offered, appraised).When(new DisposalCommand.ConfirmImport([], Msg)).ThenRejected(DisposalRejections.WrongStage);
    }

    [Fact]
    public void Destruction_follows_the_appraisal_directly_when_everything_is_V()
    {
        Given(Offered, Appraised((FileA.FileId, "V"), (FileV.FileId, "V"))).When(new DisposalCommand.Complete([], [], Msg)).Accepted();
        Given(Offered, Appraised((FileA.FileId, "V"), (FileV.FileId, "V")))
            .When(new DisposalCommand.RecordTransfer(Id(5), "3.1.0", new string('b', 64), 1, 0, [], []))
            .ThenRejected(DisposalRejections.NothingToTransfer);
    }

    [Fact]
    public void Outcomes_follow_appraisal_and_import_results()
    {
        var other = new DisposalFile(Id(30), "HA-1-0003/2020", "Dritte", []);
        var offered = Offered with { Files = [FileA, FileV, other] };
        var state = Fold(
            offered,
            Appraised((FileA.FileId, "A"), (FileV.FileId, "V"), (other.FileId, "A")),
            new TransferPackaged(ProcessId, Id(5), "3.1.0", new string('b', 64), 1, 2, [FileA.FileId, Id(11), Id(12), other.FileId], [], Registrar, Now),
            new ImportConfirmed(ProcessId, [new(FileA.FileId, true, "StA 1/1", []), new(other.FileId, false, null, ["Format"])], Msg, Clerk, Now))!;

        var outcomes = state.Outcomes().ToDictionary(o => o.File.FileId);
        Assert.Equal((Disposition.Transferred, "StA 1/1"), (outcomes[FileA.FileId].Disposition!.Value, outcomes[FileA.FileId].ArchiveReference));
        Assert.Equal(Disposition.Destroyed, outcomes[FileV.FileId].Disposition);
        Assert.Null(outcomes[other.FileId].Disposition);
        Assert.Equal("import-failed", outcomes[other.FileId].Skipped!.Code);
        Assert.Contains("Format", outcomes[other.FileId].Skipped!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_two_stage_process_takes_A_and_V_from_the_plan_and_refuses_B()
    {
        var proposals = new Dictionary<Guid, DisposalProposal> { [FileA.FileId] = DisposalProposal.Archive, [FileV.FileId] = DisposalProposal.Destroy };
        var state = Given().When(new DisposalCommand.StartTwoStage(ProcessId, Archive, "3.1.0", [FileA, FileV], proposals)).Accepted()
            .Aggregate(default(DisposalProcess), DisposalProcess.Evolve)!;
        Assert.Equal(DisposalStage.Appraised, state.Stage);
        Assert.Equal("A", state.Appraisal[FileA.FileId]);
        Assert.Equal("V", state.Appraisal[FileV.FileId]);

        proposals[FileV.FileId] = DisposalProposal.Appraise;
        GivenNothing().When(new DisposalCommand.StartTwoStage(ProcessId, Archive, "3.1.0", [FileA, FileV], proposals)).ThenRejected(DisposalRejections.NeedsAppraisal);
        Given(new TwoStageDisposalStarted(ProcessId, Archive, "3.1.0", [FileA], [new(FileA.FileId, "A")], Registrar, Now))
            .When(new DisposalCommand.RecordAppraisal([new(FileA.FileId, "A")], Msg, Msg))
            .ThenRejected(DisposalRejections.NotTwoStage);
    }

    [Fact]
    public void A_completed_process_takes_no_more_steps()
    {
        Given(Offered, Appraised((FileA.FileId, "V"), (FileV.FileId, "V")), new DisposalCompleted(ProcessId, [], [], Msg, Registrar, Now))
            .When(new DisposalCommand.RecordOfferReceipt(Msg))
            .ThenRejected(DisposalRejections.WrongStage);
    }
}
