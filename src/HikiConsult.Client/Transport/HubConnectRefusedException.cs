using System.Net;

namespace HikiConsult.Client.Transport;

/// <summary>
/// The server answered the WebSocket upgrade with a refusal (401, 403, 404, …) rather than failing to answer.
/// Retrying with the same credentials will not help, so reconnect loops stop on it.
/// </summary>
public sealed class HubConnectRefusedException : Exception
{
    public HubConnectRefusedException(Uri hubUri, HttpStatusCode statusCode, Exception? inner = null)
        : base($"The hub at {hubUri.GetLeftPart(UriPartial.Path)} refused the connection with {(int)statusCode} {statusCode}.", inner)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The refusal behind a failed start: of the socket upgrade, or of the negotiate request before it.</summary>
    internal static HubConnectRefusedException? Find(Uri hubUri, Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case HubConnectRefusedException refused:
                    return refused;
                case HttpRequestException { StatusCode: { } status } when (int)status is >= 400 and < 500:
                    return new HubConnectRefusedException(hubUri, status, current);
            }
        }

        return null;
    }
}
