using ECase.Application.Security;
using ECase.Domain.Common;

namespace ECase.Application.Common;

public static class ContextExtensions
{
    public static CommandContext ContextFor(this TimeProvider clock, CurrentUser user) => new(user.AsActor, clock.GetUtcNow());
}
