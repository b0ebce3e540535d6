using HikiConsult.Contracts;
using HikiConsult.Grains;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Hubs;

/// <summary>
/// Around every hub call: a per-connection token bucket on <c>Send</c>, and errors turned into
/// <see cref="HubException"/>s with a readable reason (the connection stays open). Unexpected errors are
/// logged by type and method, never with arguments (they carry message bodies).
/// </summary>
public sealed partial class SessionHubFilter(IOptions<HubSettings> settings, TimeProvider time, ILogger<SessionHubFilter> logger) : IHubFilter
{
    private const string BucketKey = "hikiconsult.send-bucket";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethodName == HubMethods.Send && !TakeSendPermit(invocationContext.Context))
        {
            throw new HubException(
                $"Too many messages: at most {settings.Value.SendPerSecond:0.#} per second. Wait a moment, then resend with the same clientMsgId.");
        }

        HubArgumentRules.Check(invocationContext);
        try
        {
            return await next(invocationContext);
        }
        catch (SessionRuleException ex)
        {
            throw new HubException(ex.Kind == SessionRuleKind.NotFound ? SessionHub.SessionNotFound : ex.Message);
        }
        catch (HubException)
        {
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

    private bool TakeSendPermit(HubCallerContext context)
    {
        TokenBucket bucket;
        lock (context.Items)
        {
            if (!context.Items.TryGetValue(BucketKey, out var value) || value is not TokenBucket existing)
            {
                existing = new TokenBucket(settings.Value.SendBurst, settings.Value.SendPerSecond, time.GetUtcNow());
                context.Items[BucketKey] = existing;
            }

            bucket = existing;
        }

        return bucket.TryTake(time.GetUtcNow());
    }

    [LoggerMessage(1, LogLevel.Error, "Hub method {Method} failed with {ExceptionType} at {StackTrace}")]
    private static partial void CallFailed(ILogger logger, string method, string exceptionType, string? stackTrace);

    /// <summary>Refills continuously at <c>perSecond</c> up to <c>capacity</c>.</summary>
    private sealed class TokenBucket(int capacity, double perSecond, DateTimeOffset now)
    {
        private readonly Lock _lock = new();
        private double _tokens = capacity;
        private DateTimeOffset _last = now;

        public bool TryTake(DateTimeOffset at)
        {
            lock (_lock)
            {
                var elapsed = (at - _last).TotalSeconds;
                if (elapsed > 0)
                {
                    _tokens = Math.Min(capacity, _tokens + (elapsed * perSecond));
                    _last = at;
                }

                if (_tokens < 1)
                {
                    return false;
                }

                _tokens -= 1;
                return true;
            }
        }
    }
}
