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
}
