using System.Threading.RateLimiting;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// Around every hub call: argument bounds, per-principal limits on <c>Send</c> and <c>JoinSession</c> and on open
/// connections (<see cref="PrincipalRateLimits"/>), and errors turned into <see cref="HubException"/>s with a readable
/// reason (the connection stays open). Unexpected errors are logged by type and method, never with arguments (they
/// carry message bodies).
/// </summary>
public sealed partial class SessionHubFilter(
    IOptions<HubLimitsOptions> settings, PrincipalRateLimits limits, Audit.AuditLog audit, ILogger<SessionHubFilter> logger) : IHubFilter
{
    private const string ConnectionLeaseKey = "hikiconsult.connection-lease";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        HubArgumentRules.Check(invocationContext);
        var principal = PrincipalOf(invocationContext.Context);
        if (invocationContext.HubMethodName == HubMethods.Send)
        {
            using var lease = limits.Sends.AttemptAcquire(principal);
            if (!lease.IsAcquired)
            {
                throw new HubException(
                    $"Too many messages: at most {settings.Value.SendPerSecond:0.#} per second for each device or account. Wait {RetryAfter(lease)} s, then resend with the same clientMsgId.");
            }
        }
        else if (invocationContext.HubMethodName == HubMethods.JoinSession)
        {
            using var lease = limits.Joins.AttemptAcquire(principal);
            if (!lease.IsAcquired)
            {
                throw new HubException(
                    $"Too many joins: at most {settings.Value.JoinPerSecond:0.#} per second for each device or account. Wait {RetryAfter(lease)} s, then join again.");
            }
        }

        try
        {
            return await InvokeRidingOutNodeLossAsync(invocationContext, next);
        }
        catch (ConsultationRuleException ex)
        {
            if (ex.Kind == ConsultationRuleKind.NotFound)
            {
                await AuditDeniedAsync(invocationContext);
            }

            throw new HubException(ex.Kind == ConsultationRuleKind.NotFound ? SessionHub.SessionNotFound : ex.Message);
        }
        catch (HubException ex)
        {
            if (ex.Message is SessionHub.SessionNotFound or CounselorHub.AlertNotFound)
            {
                await AuditDeniedAsync(invocationContext);
            }

            throw;
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            CallFailed(logger, invocationContext.HubMethodName, ex.GetType().FullName ?? ex.GetType().Name, ex.StackTrace);
            throw new HubException("The server could not complete the request. Try again; a resend with the same clientMsgId is safe.");
        }
    }

    /// <summary>
    /// In a cluster, calls to grains that lived on a node that just died are rejected until the cluster has declared it
    /// dead (seconds); then they activate on another node. Every hub method may be repeated (a send carries its
    /// clientMsgId, a join is a read), so the call is repeated here and the client sees a slower answer, not an error.
    /// </summary>
    private static async ValueTask<object?> InvokeRidingOutNodeLossAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (Exception ex) when (ex is OrleansMessageRejectionException or TimeoutException && attempt < NodeLossRetryDelays.Length)
            {
                await Task.Delay(NodeLossRetryDelays[attempt], context.Context.ConnectionAborted);
            }
        }
    }

    /// <summary>About 10 s in all: longer than the cluster takes to declare a node dead (docs/operations.md).</summary>
    private static readonly TimeSpan[] NodeLossRetryDelays =
        [.. new[] { 100, 200, 400, 800, 1600, 3200, 3200 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>Refuses a connection beyond <see cref="HubLimitsOptions.MaxConnectionsPerPrincipal"/> for its token's principal.</summary>
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var lease = limits.Connections.AttemptAcquire(PrincipalOf(context.Context));
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new HubException($"Too many connections: at most {settings.Value.MaxConnectionsPerPrincipal} for each device or account.");
        }

        lock (context.Context.Items)
        {
            context.Context.Items[ConnectionLeaseKey] = lease;
        }

        try
        {
            await next(context);
        }
        catch
        {
            Release(context.Context);
            throw;
        }
    }

    /// <summary>The place is freed first: a new connection may come while the old one's leaves are still being written.</summary>
    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        Release(context.Context);
        return next(context, exception);
    }

    private static void Release(HubCallerContext context)
    {
        RateLimitLease? lease;
        lock (context.Items)
        {
            lease = context.Items.Remove(ConnectionLeaseKey, out var value) ? value as RateLimitLease : null;
        }

        lease?.Dispose();
    }

    /// <summary>A "not found" a caller got: audited like a REST 404 (the target is the call's id argument).</summary>
    private async Task AuditDeniedAsync(HubInvocationContext invocation)
    {
        if (Auth.Caller.From(invocation.Context.User) is not { } caller)
        {
            return;
        }

        var target = invocation.HubMethodArguments.Count > 0 && invocation.HubMethodArguments[0] is string id && id.Length <= InputLimits.MaxId
            && TextRules.Problem(id, multiline: false) is null ? id : "-";
        await audit.RecordAsync(caller, Audit.AuditActions.Denied, $"hub {invocation.HubMethodName}", target, CancellationToken.None);
    }

    private static string PrincipalOf(HubCallerContext context) => context.User?.FindFirst(Auth.TokenClaims.Subject)?.Value ?? context.ConnectionId;

    private static int RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;

    [LoggerMessage(1, LogLevel.Error, "Hub method {Method} failed with {ExceptionType} at {StackTrace}")]
    private static partial void CallFailed(ILogger logger, string method, string exceptionType, string? stackTrace);
}
