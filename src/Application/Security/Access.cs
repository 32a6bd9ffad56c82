using ECase.Application.Common;
using ECase.Domain.Common;

namespace ECase.Application.Security;

/// <summary>
/// Who may see and change which file (ADR 0005): clerks their org unit's files up to their clearance, registrars any
/// org unit's up to their clearance. A file the caller may not see answers 404, as if it did not exist.
/// </summary>
public static class Access
{
    public static bool CanSeeFile(CurrentUser user, string orgUnit, Confidentiality confidentiality) =>
        confidentiality <= user.Clearance && user.Role switch
        {
            Roles.Clerk => user.OrgUnit == orgUnit,
            Roles.Registrar => true,
            _ => false,
        };

    /// <summary>Auditors read every trail; clerks and registrars the trails of files they can see.</summary>
    public static bool CanReadAudit(CurrentUser user, string orgUnit, Confidentiality confidentiality) =>
        user.Role == Roles.Auditor || CanSeeFile(user, orgUnit, confidentiality);

    public static void EnsureCanSeeFile(CurrentUser user, string orgUnit, Confidentiality confidentiality, string what = "file")
    {
        if (!CanSeeFile(user, orgUnit, confidentiality)) throw new NotFoundException(what);
    }
}
