using HikiConsult.Contracts;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// Puts every counselor hub connection into the group its pushes go to: one group per counselor, one for all
/// supervisors. A connection is in exactly one of them, so a push to several groups reaches it once. Admins and
/// devices are in none: they never receive clinical pushes.
/// </summary>
public sealed class EarlyConsultationHubFilter : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        if (context.Hub is CounselorHub && Caller.From(context.Context.User) is { } caller && GroupOf(caller) is { } group)
        {
            await context.Hub.Groups.AddToGroupAsync(context.Context.ConnectionId, group);
        }
    }

    public static string? GroupOf(Caller caller) => caller.Role switch
    {
        Roles.Supervisor => EarlyConsultationGroups.Supervisors,
        Roles.Counselor => EarlyConsultationGroups.Counselor(caller.Id),
        _ => null,
    };
}

/// <summary>SignalR group names of the early consultation pushes on the counselor hub.</summary>
public static class EarlyConsultationGroups
{
    public const string Supervisors = "ec:supervisors";

    public static string Counselor(string userId) => "ec:counselor:" + userId;

    /// <summary>The assigned counselors' groups and the supervisors' group.</summary>
    public static IReadOnlyList<string> ForClient(IReadOnlyList<string> counselorIds) =>
        [.. counselorIds.Distinct(StringComparer.Ordinal).Select(Counselor), Supervisors];
}
