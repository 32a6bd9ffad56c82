using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Projections.FilePlans;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.FilePlans;

/// <summary>Reading the file plan (Aktenplan): any staff member may.</summary>
public static class FilePlanQueries
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/file-plan", async (IQuerySession session, CancellationToken ct) =>
                TypedResults.Ok(await session.Query<FilePlanUnitView>().OrderBy(u => u.Code).ToListAsync(ct)))
            .RequireAuthorization(Policies.Staff).WithName("ListPlanUnits").WithTags("File plan");

        api.MapGet("/file-plan/{code}", async (string code, IQuerySession session, CancellationToken ct) =>
                await session.Query<FilePlanUnitView>().FirstOrDefaultAsync(u => u.Code == code, ct) ?? throw new NotFoundException("plan unit"))
            .RequireAuthorization(Policies.Staff).WithName("GetPlanUnit").WithTags("File plan");
    }
}
