using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using System.Text.RegularExpressions;
using HikiConsult.Contracts;

namespace HikiConsult.Server.Validation;

/// <summary>
/// For <c>/api</c>: refuses a body over <see cref="InputLimits.MaxRequestBodyBytes"/> (413) and a query string over its
/// bounds (400 naming the parameter); turns <see cref="InputRejectedException"/> and binding failures (wrong JSON type,
/// a query value that is not a number) into a validation problem naming the field. Never echoes the value.
/// </summary>
internal sealed partial class InputLimitsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        if (CheckQuery(context.Request.Query) is { } queryErrors)
        {
            await Invalid(queryErrors).ExecuteAsync(context);
            return;
        }

        if (!await BoundBodyAsync(context))
        {
            await Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"A request body may be at most {InputLimits.MaxRequestBodyBytes} bytes.").ExecuteAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (InputRejectedException ex) when (!context.Response.HasStarted)
        {
            await Invalid(new Dictionary<string, string[]> { [ex.Field] = [ex.Message] }).ExecuteAsync(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            if (Describe(ex, context) is { } errors)
            {
                await Invalid(errors).ExecuteAsync(context);
            }
            else
            {
                await Results.Problem(statusCode: ex.StatusCode, title: "Bad request",
                    detail: "The request could not be read: send a JSON body with the documented fields (see /openapi/v1.json).").ExecuteAsync(context);
            }
        }
    }

    /// <summary>A validation problem whose detail repeats the errors, for clients that show only the detail.</summary>
    private static IResult Invalid(Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(e => e)));

    private static Dictionary<string, string[]>? CheckQuery(IQueryCollection query)
    {
        if (query.Count > InputLimits.MaxQueryParameters)
        {
            return new() { ["query"] = [$"At most {InputLimits.MaxQueryParameters} query parameters."] };
        }

        foreach (var (key, values) in query)
        {
            var name = key.Length <= InputLimits.MaxId && TextRules.Problem(key, multiline: false) is null ? key : "query";
            if (values.Count > 1)
            {
                return new() { [name] = [$"'{name}' may be given once."] };
            }

            var value = values.ToString();
            if (value.Length > InputLimits.MaxQueryValue)
            {
                return new() { [name] = [$"'{name}' is longer than {InputLimits.MaxQueryValue} characters ({value.Length})."] };
            }

            if (TextRules.Problem(value, multiline: false) is { } problem || (problem = TextRules.Problem(key, multiline: false)) is not null)
            {
                return new() { [name] = [$"'{name}' {problem}."] };
            }
        }

        return null;
    }

    /// <summary>False when the body is over the bound; a body of unknown length is read into memory up to it.</summary>
    private static async Task<bool> BoundBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is { } length)
        {
            return length <= InputLimits.MaxRequestBodyBytes;
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsDelete(request.Method))
        {
            return true;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > InputLimits.MaxRequestBodyBytes)
            {
                return false;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        request.Body = buffer;
        context.Response.RegisterForDispose(buffer);
        return true;
    }

    /// <summary>The field at fault of a binding failure, in words; null when the failure names none.</summary>
    private static Dictionary<string, string[]>? Describe(BadHttpRequestException ex, HttpContext context)
    {
        if (ex.InnerException is JsonException json)
        {
            var field = FieldOf(json.Path);
            return new() { [field] = [$"'{field}' {JsonProblem(json, PropertyType(context, field))}."] };
        }

        if (ex.InnerException is InputRejectedException rejected)
        {
            return new() { [rejected.Field] = [rejected.Message] };
        }

        var bind = BindFailure().Match(ex.Message);
        if (bind.Success)
        {
            var name = bind.Groups["name"].Value;
            return new() { [name] = [$"'{name}' must be {Expected(bind.Groups["type"].Value)}."] };
        }

        var missing = MissingParameter().Match(ex.Message);
        if (missing.Success)
        {
            var name = missing.Groups["name"].Value;
            return new() { [name] = [$"'{name}' is required."] };
        }

        return ex.Message.Contains("body", StringComparison.OrdinalIgnoreCase) && ex.StatusCode == StatusCodes.Status400BadRequest
            ? new() { ["body"] = ["A JSON body with the documented fields is required (see /openapi/v1.json)."] }
            : null;
    }

    /// <summary>"$.coOccurringConditions[3]" → "coOccurringConditions"; the whole body → "body".</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$" || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return "body";
        }

        var rest = path[2..];
        var end = rest.IndexOfAny(['.', '[']);
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The type the body's field has in the endpoint's request record (the JSON error names only the record).</summary>
    private static Type? PropertyType(HttpContext context, string field) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType
            ?.GetProperty(field, BindingFlags.IgnoreCase | BindingFlags.Public | BindingFlags.Instance)?.PropertyType;

    private static string JsonProblem(JsonException json, Type? expected)
    {
        var message = json.Message + " " + json.InnerException?.Message;
        if (message.Contains("UTF-16", StringComparison.Ordinal) || message.Contains("surrogate", StringComparison.OrdinalIgnoreCase))
        {
            return "contains an unpaired surrogate (invalid UTF-16)";
        }

        if (message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            return $"is nested deeper than {InputLimits.MaxJsonDepth} levels";
        }

        if (expected is not null && message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"must be {Expected(expected.FullName ?? expected.Name)}";
        }

        var converted = ConvertedTo().Match(message);
        return converted.Success ? $"must be {Expected(converted.Groups["type"].Value)}" : "is not valid JSON";
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("List", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) => "an array",
        _ when type.Contains("String", StringComparison.Ordinal) => "a string",
        _ when type.Contains("Boolean", StringComparison.Ordinal) || type.Contains("bool", StringComparison.Ordinal) => "true or false",
        _ when type.Contains("DateTimeOffset", StringComparison.Ordinal) => "an ISO 8601 time with an offset",
        _ when type.Contains("Int", StringComparison.Ordinal) || type.Contains("long", StringComparison.Ordinal) || type.Contains("int", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
        _ => "of the documented type",
    };

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"]*) (?<name>[^" ]+)" from""")]
    private static partial Regex BindFailure();

    [GeneratedRegex("""Required parameter "(?<type>[^"]*) (?<name>[^" ]+)" was not provided""")]
    private static partial Regex MissingParameter();

    [GeneratedRegex(@"converted to (?<type>[^\s]+?)\.? Path")]
    private static partial Regex ConvertedTo();
}
