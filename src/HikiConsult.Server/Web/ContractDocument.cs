using System.Text.Json.Nodes;
using HikiConsult.Contracts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HikiConsult.Server.Web;

/// <summary>
/// What the OpenAPI document says beyond the endpoints' own types, so that clients generated from it (the web pages'
/// contract types) need no hand-written copy: the fixed sets (roles, states, kinds, statuses), which are string
/// constants in C#, become enumerations on the properties that carry them; whole numbers are numbers (the server
/// writes them as numbers; reading them from strings is leniency, not contract); and the hub's own payloads are
/// listed with the REST types.
/// </summary>
internal static class ContractDocument
{
    private static readonly string[] AllRoles = [Roles.Counselor, Roles.Supervisor, Roles.Admin, Roles.Client, Roles.Family, Roles.System];
    private static readonly string[] AccountRoles = [Roles.Counselor, Roles.Supervisor, Roles.Admin, Roles.Client, Roles.Family];
    private static readonly string[] States =
        [SessionStates.Scheduled, SessionStates.Waiting, SessionStates.Active, SessionStates.Ended, SessionStates.Cancelled, SessionStates.NoShow];
    private static readonly string[] DeviceKindValues = [DeviceKinds.Avatar, DeviceKinds.Robot, DeviceKinds.Family];
    private static readonly string[] EventKindValues =
        [EventKinds.Text, EventKinds.Speak, EventKinds.Expression, EventKinds.Gesture, EventKinds.Gaze, EventKinds.Signal, EventKinds.System, EventKinds.Assessment];
    private static readonly string[] AlertStatuses = [RiskAlertStatuses.Open, RiskAlertStatuses.Escalated, RiskAlertStatuses.Acknowledged];

    /// <summary>(declaring type, JSON property name) → the values it may take.</summary>
    private static readonly Dictionary<(Type, string), string[]> Sets = new()
    {
        [(typeof(UserInfo), "role")] = AccountRoles,
        [(typeof(SenderDto), "role")] = AllRoles,
        [(typeof(ParticipantDto), "role")] = AllRoles,
        [(typeof(SessionDto), "state")] = States,
        [(typeof(SessionStateDto), "state")] = States,
        [(typeof(JoinSessionResult), "state")] = States,
        [(typeof(DeviceInfo), "kind")] = DeviceKindValues,
        [(typeof(PairDeviceResponse), "kind")] = DeviceKindValues,
        [(typeof(SessionEventDto), "kind")] = EventKindValues,
        [(typeof(RiskAlertDto), "status")] = AlertStatuses,
    };

    /// <summary>Hub arguments, results and pushes that no REST endpoint carries.</summary>
    private static readonly Type[] HubOnly = [typeof(SendRequest), typeof(SendAck), typeof(JoinSessionResult), typeof(SessionStateDto)];

    public static OpenApiOptions AddContractDocument(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo is { } property && Sets.TryGetValue((property.DeclaringType, property.Name), out var values))
            {
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            }

            // Numbers readable from strings come as number-or-string with a pattern for the string.
            if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0
                && type.HasFlag(JsonSchemaType.String) && schema.Pattern is not null)
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }

            return Task.CompletedTask;
        });
        options.AddDocumentTransformer(async (document, context, cancellationToken) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            foreach (var type in HubOnly)
            {
                if (!document.Components.Schemas.ContainsKey(type.Name))
                {
                    document.Components.Schemas[type.Name] = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
                }
            }
        });
        return options;
    }
}
