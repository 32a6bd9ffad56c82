namespace ECase.Domain.Common;

/// <summary>Who did something: user id, role and org unit (Organisationseinheit), recorded on every event.</summary>
public sealed record Actor(string UserId, string Role, string OrgUnit);

/// <summary>Who acts and the server time the decision is made at.</summary>
public sealed record CommandContext(Actor By, DateTimeOffset Now);
