using System.Text;
using ECase.Api.Auth;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.FilePlans;
using ECase.Application.Disposal;
using ECase.Application.Files;
using ECase.Application.Inspections;
using ECase.Application.Security;
using ECase.Application.Submissions;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Domain.Inspections;
using ECase.Projections.FilePlans;
using Marten;
using Wolverine;

namespace ECase.Api.Demo;

/// <summary>Seeds a small file plan, files, cases and documents through the normal commands, once per empty store.</summary>
public static class DemoData
{
    public static async Task SeedAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var query = sp.GetRequiredService<IQuerySession>();
        if (await query.Query<FilePlanUnitView>().AnyAsync(ct)) return;

        var bus = sp.GetRequiredService<IMessageBus>();
        var store = sp.GetRequiredService<IContentStore>();
        var registrar = User("registrar");
        (string Code, string Title, int Years, DisposalProposal Disposal)[] plan =
        [
            ("32.10.05", "Baugenehmigungsverfahren", 30, DisposalProposal.Archive),
            ("32.10.06", "Bauvoranfragen", 10, DisposalProposal.Appraise),
            ("50.30.01", "Wohngeld – Einzelfälle", 6, DisposalProposal.Destroy),
        ];
        foreach (var u in plan)
            await bus.InvokeAsync<CommandResult>(new CreatePlanUnit(Guid.CreateVersion7(), u.Code, u.Title, u.Years, u.Disposal, registrar), ct);

        var ha = User("clerk-ha");
        var oa = User("clerk-oa");
        var bau = await bus.InvokeAsync<FileOpenedResult>(new OpenFile(Guid.CreateVersion7(), "Neubau Einfamilienhaus, Lindenstraße 12", "32.10.05", Confidentiality.Open, "HA", ha), ct);
        var voranfrage = await bus.InvokeAsync<FileOpenedResult>(new OpenFile(Guid.CreateVersion7(), "Bauvoranfrage Carport, Am Markt 3", "32.10.06", Confidentiality.Restricted, "HA", ha), ct);
        var wohngeld = await bus.InvokeAsync<FileOpenedResult>(new OpenFile(Guid.CreateVersion7(), "Wohngeldantrag 2026", "50.30.01", Confidentiality.Restricted, "OA", oa), ct);

        var antrag = await bus.InvokeAsync<CommandResult>(new OpenCase(bau.Id, Guid.CreateVersion7(), "Bauantrag", null, ha), ct);
        await bus.InvokeAsync<CommandResult>(new OpenCase(bau.Id, Guid.CreateVersion7(), "Nachforderung von Unterlagen", null, ha), ct);
        await bus.InvokeAsync<CommandResult>(new OpenCase(voranfrage.Id, Guid.CreateVersion7(), "Voranfrage", null, ha), ct);
        var wg = await bus.InvokeAsync<CommandResult>(new OpenCase(wohngeld.Id, Guid.CreateVersion7(), "Erstantrag", null, oa), ct);

        await SubmitAsync(bus, store, antrag.Id, ha, "Bauantrag mit Lageplan", SubmissionChannel.Paper,
            [("Bauantrag.pdf", "application/pdf", DemoPdf.Create("Antrag auf Baugenehmigung - Neubau Einfamilienhaus")),
             ("Baubeschreibung.txt", "text/plain", Encoding.UTF8.GetBytes("Baubeschreibung: Massivbauweise, zwei Vollgeschosse, Satteldach.\n"))], ct);
        await SubmitAsync(bus, store, wg.Id, oa, "Wohngeldantrag", SubmissionChannel.OnlineForm,
            [("Wohngeldantrag.pdf", "application/pdf", DemoPdf.Create("Antrag auf Wohngeld (Mietzuschuss)"))], ct);

        // A migrated paper file whose retention has ended: it is on the registrar's due list (GET /api/disposal/due).
        var alt = await bus.InvokeAsync<FileOpenedResult>(new OpenFile(Guid.CreateVersion7(), "Altakte Baugenehmigung Kirchweg 7 (1994)", "32.10.05", Confidentiality.Open, "HA", ha), ct);
        var altCase = await bus.InvokeAsync<CommandResult>(new OpenCase(alt.Id, Guid.CreateVersion7(), "Baugenehmigung 1994", null, ha), ct);
        await SubmitAsync(bus, store, altCase.Id, ha, "Digitalisierte Bauakte", SubmissionChannel.Paper,
            [("Baugenehmigung-1994.txt", "text/plain", Encoding.UTF8.GetBytes("Baugenehmigung vom 12.05.1994 für das Wohnhaus Kirchweg 7.\n"))], ct);
        await bus.InvokeAsync<CommandResult>(new CloseCase(altCase.Id, null, ha), ct);
        await bus.InvokeAsync<CommandResult>(new CloseFile(alt.Id, null, ha), ct);
        await bus.InvokeAsync<CommandResult>(new OverrideRetention(alt.Id, null, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), "Altbestand: Frist nach altem Recht abgelaufen", registrar), ct);

        // A neighbour asks to inspect the building file: the clerk of HA decides it on /portal/sachbearbeitung.html.
        await bus.InvokeAsync<InspectionCreated>(new RequestInspection(
            Guid.CreateVersion7(), bau.Reference, "Ich bin Eigentümer des Nachbargrundstücks Lindenstraße 14 und am Verfahren beteiligt.", LegalBasis.Participant,
            User("citizen")), ct);
        logger.LogInformation(
            "Demo data seeded: 3 plan units, 4 files ({Reference}, …; {Due} is due for disposal), 5 cases, 4 documents, 1 open inspection request",
            bau.Reference, alt.Reference);
    }

    private static async Task SubmitAsync(
        IMessageBus bus, IContentStore store, Guid caseId, CurrentUser user, string subject, SubmissionChannel channel,
        (string Name, string MediaType, byte[] Bytes)[] files, CancellationToken ct)
    {
        var documents = new List<NewDocument>();
        foreach (var f in files)
        {
            var staged = await store.StageAsync(new System.IO.MemoryStream(f.Bytes), long.MaxValue, ct);
            await store.PromoteAsync(staged, ct);
            documents.Add(new NewDocument(Guid.CreateVersion7(), System.IO.Path.GetFileNameWithoutExtension(f.Name),
                new ContentRef(staged.Sha256, staged.Size, f.MediaType, f.Name)));
        }

        await bus.InvokeAsync<SubmissionRegistered>(new RegisterSubmission(
            caseId, Guid.CreateVersion7(), channel, new Sender(Guid.CreateVersion7(), "Muster GmbH", "Hauptstraße 1, 12345 Musterstadt", null),
            DateTimeOffset.UtcNow, subject, documents, null, user), ct);
    }

    private static CurrentUser User(string id)
    {
        var u = DevTokenIssuer.Users.Single(x => x.Id == id);
        return new CurrentUser(u.Id, u.Name, u.Role, u.OrgUnit, u.Clearance);
    }
}
