using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans;
using HikiConsult.Domain.Instruments;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.EarlyConsultation;

/// <summary>
/// Screening instruments: their definitions (for generating forms) and a client's scored assessments. A client's own
/// device may submit a self-report for its own client; every other read or write is for clinicians who see the client.
/// </summary>
public static class AssessmentEndpoints
{
    public const int DefaultListLimit = 100;

    /// <summary>Definitions are served in the file format (camelCase, nulls left out).</summary>
    private static readonly JsonSerializerOptions DefinitionJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IEndpointRouteBuilder MapAssessmentEndpoints(this IEndpointRouteBuilder app)
    {
        var instruments = app.MapGroup("/api/instruments").WithTags("Early consultation").RequireAuthorization();
        instruments.MapGet("/", ListInstruments)
            .WithSummary("The clinic's instrument definitions (items, answer scales, subscales, bands or cut-off in force, flags, skip logic, source).");
        instruments.MapGet("/{instrument}", GetInstrument).WithSummary("One instrument definition.");

        var assessments = app.MapGroup("/api/clients/{id}/assessments").WithTags("Early consultation").RequireAuthorization();
        assessments.MapPost("/", SubmitAsync)
            .WithSummary("Scores and keeps an assessment: total, subscales, band, flags, source and the decision-support label. A client's device may submit for its own client only.");
        assessments.MapGet("/", ListAsync).WithSummary("The client's assessments, newest first.");
        return app;
    }

    private static IResult ListInstruments(InstrumentCatalog catalog)
    {
        var order = InstrumentIds.Shipped.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.OrdinalIgnoreCase);
        var definitions = catalog.All
            .OrderBy(d => order.GetValueOrDefault(d.Id, int.MaxValue))
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => InForce(d, catalog))
            .ToArray();
        return TypedResults.Json(definitions, DefinitionJson);
    }

    private static IResult GetInstrument(string instrument, InstrumentCatalog catalog) =>
        catalog.TryGet(instrument, out var definition)
            ? TypedResults.Json(InForce(definition, catalog), DefinitionJson)
            : TypedResults.NotFound();

    /// <summary>The definition with the clinic's cut-off in place of the shipped default, as forms and charts should show it.</summary>
    private static InstrumentDefinition InForce(InstrumentDefinition definition, InstrumentCatalog catalog) =>
        definition.Cutoff is { } cutoff
            ? definition with { Cutoff = cutoff with { Default = catalog.ScoringOptions.CutoffFor(definition) } }
            : definition;

    private static async Task<Results<Created<AssessmentRecord>, NotFound, ValidationProblem>> SubmitAsync(
        string id, SubmitAssessmentRequest? request, ClaimsPrincipal principal, EarlyConsultationAccess access, InstrumentCatalog catalog, IGrainFactory grains)
    {
        var caller = Caller.Require(principal);
        var right = await access.MaySubmitAssessmentAsync(caller, id);
        if (right is null)
        {
            return TypedResults.NotFound();
        }

        if (request is null)
        {
            return Invalid("body", "A JSON body with instrument, answers and completedBy is required.");
        }

        if (string.IsNullOrWhiteSpace(request.Instrument) || !catalog.TryGet(request.Instrument.Trim(), out var definition))
        {
            return Invalid("instrument", $"One of: {string.Join(", ", catalog.All.Select(d => d.Id).Order(StringComparer.Ordinal))}.");
        }

        var completedBy = right.CompletedBy;
        if (!right.ForcedByDevice && request.CompletedBy is not null)
        {
            if (!CompletedBy.All.Contains(request.CompletedBy))
            {
                return Invalid("completedBy", $"One of: {CompletedBy.Client}, {CompletedBy.Counselor}, {CompletedBy.Family}.");
            }

            completedBy = request.CompletedBy;
        }

        var (answers, readErrors) = ReadAnswers(request.Answers, definition.Items.Count);
        var errors = readErrors ?? InstrumentScorer.Validate(definition, answers);
        if (errors.Count > 0)
        {
            // Every problem names its item; nothing is kept.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["answers"] = [.. errors.Select(e => e.ToString())] },
                detail: $"Invalid answers for {definition.Name}: {string.Join("; ", errors)}.",
                title: "The answers cannot be scored.");
        }

        var record = await grains.GetGrain<IClientEarlyConsultationGrain>(id)
            .SubmitAssessment(new AssessmentSubmission(definition.Id, answers!, completedBy, caller.Id));
        return TypedResults.Created($"/api/clients/{id}/assessments", record);
    }

    private static async Task<Results<Ok<IReadOnlyList<AssessmentRecord>>, NotFound, ValidationProblem>> ListAsync(
        string id, int? limit, ClaimsPrincipal principal, EarlyConsultationAccess access, IGrainFactory grains, AuditLog audit, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        if (!await access.MayReadAsync(caller, id))
        {
            return TypedResults.NotFound();
        }

        if (CheckLimit(limit) is { } problem)
        {
            return problem;
        }

        await audit.RecordAsync(caller, EarlyConsultationAudit.AssessmentsRead, EarlyConsultationAudit.ClientTarget, id, cancellationToken);
        return TypedResults.Ok(await grains.GetGrain<IClientEarlyConsultationGrain>(id).GetAssessments(limit ?? DefaultListLimit));
    }

    /// <summary>Reads the answers array: a whole number or null per item. Errors name the item (1-based).</summary>
    private static (int?[]? Answers, IReadOnlyList<AnswerError>? Errors) ReadAnswers(JsonElement answers, int expected)
    {
        if (answers.ValueKind != JsonValueKind.Array)
        {
            return (null, [new AnswerError(null, $"'answers' must be an array of {expected} answers in item order (null for an item left out by the skip logic)")]);
        }

        var values = new int?[answers.GetArrayLength()];
        var errors = new List<AnswerError>();
        var i = 0;
        foreach (var answer in answers.EnumerateArray())
        {
            if (answer.ValueKind == JsonValueKind.Null)
            {
                values[i] = null;
            }
            else if (answer.ValueKind == JsonValueKind.Number && answer.TryGetInt32(out var value))
            {
                values[i] = value;
            }
            else
            {
                errors.Add(new AnswerError(i + 1, "answer must be a whole number or null"));
            }

            i++;
        }

        return errors.Count > 0 ? (null, errors) : (values, null);
    }

    internal static ValidationProblem? CheckLimit(int? limit) =>
        limit is { } take && (take < 1 || take > ClientEarlyConsultationGrain.MaxListLimit)
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"From 1 to {ClientEarlyConsultationGrain.MaxListLimit}."] })
            : null;

    internal static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
