using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace HikiConsult.Client.Api;

/// <summary>The server refused a REST call; carries the status and the server's ProblemDetails when it sent one.</summary>
public sealed class HikiConsultApiException : Exception
{
    public HikiConsultApiException(HttpMethod method, string path, HttpStatusCode statusCode, ProblemDetails? problem)
        : base(Describe(method, path, statusCode, problem))
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Problem = problem;
    }

    public HttpMethod Method { get; }

    /// <summary>The request path (never the query, which may hold a token).</summary>
    public string Path { get; }

    public HttpStatusCode StatusCode { get; }

    public ProblemDetails? Problem { get; }

    private static string Describe(HttpMethod method, string path, HttpStatusCode statusCode, ProblemDetails? problem)
    {
        var reason = problem?.Detail ?? problem?.Title;
        return reason is null
            ? $"{method} {path} failed with {(int)statusCode} {statusCode}."
            : $"{method} {path} failed with {(int)statusCode} {statusCode}: {reason}";
    }
}
