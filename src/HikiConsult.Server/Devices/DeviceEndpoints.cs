using System.Security.Claims;
using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using HikiConsult.Server.Hubs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HikiConsult.Server.Devices;

public static partial class DeviceEndpoints
{
    public const int MaxDeviceNameLength = 64;
    public const string InvalidCode = "The pairing code is not valid: it may be mistyped, used already or expired. Ask the counselor for a new one.";

    public static WebApplicationBuilder AddDevices(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PairingCodeStore>();
        return builder;
    }

    public static WebApplication MapDevices(this WebApplication app)
    {
        var devices = app.MapGroup("/api/devices").WithTags("Devices");
        devices.MapPost("/pair", PairAsync)
            .AllowAnonymous()
            .RequireRateLimiting(AuthExtensions.PairingRateLimit)
            .WithSummary("Pairs a device with a code and returns its long-lived token.");
        devices.MapDelete("/{id}", RevokeAsync)
            .RequireAuthorization()
            .WithSummary("Revokes a device: its token stops working and its open connections close at once.");
        devices.MapGet("/me/sessions", MySessionsAsync)
            .RequireAuthorization(AuthPolicies.Device)
            .WithSummary("The open sessions of the device's client that the device may join.");
        return app;
    }

    private static async Task<Results<Created<PairDeviceResponse>, ValidationProblem, ProblemHttpResult>> PairAsync(
        PairDeviceRequest? request, PairingCodeStore codes, TokenService tokens, IGrainFactory grains, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var name = request?.DeviceName?.Trim() ?? "";
        if (name.Length == 0 || name.Length > MaxDeviceNameLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["deviceName"] = [$"A name for the device, 1 to {MaxDeviceNameLength} characters (e.g. \"Living room robot\")."],
            });
        }

        var device = await codes.RedeemAsync(request!.Code, name, cancellationToken);
        if (device is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid pairing code", detail: InvalidCode);
        }

        var client = grains.GetGrain<IClientGrain>(device.ClientId);
        await client.AddDevice(device.ToInfo());
        var alias = (await client.Get())?.Alias ?? device.ClientId;

        // Staff see a client's device by the client's alias; a family member by the device's own name.
        var displayName = device.Kind == DeviceKinds.Family ? name : alias;
        var (token, _) = tokens.IssueForDevice(device.Id, device.ClientId, device.Kind, displayName);
        DevicePaired(loggers.CreateLogger(typeof(DeviceEndpoints)), device.Id, device.ClientId, device.Kind);
        return TypedResults.Created($"/api/devices/{device.Id}", new PairDeviceResponse(device.Id, token, device.ClientId, device.Kind));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(
        string id, ClaimsPrincipal principal, DeviceStore devices, ClientAccess access, IGrainFactory grains, CredentialRevocations revocations, CancellationToken cancellationToken)
    {
        var caller = Caller.Require(principal);
        var device = EntityIds.IsDeviceId(id) ? await devices.FindAsync(id, cancellationToken) : null;
        var allowed = device is not null
            && (caller.Id == device.Id || await access.FindVisibleClientAsync(caller, device.ClientId) is not null);
        if (!allowed)
        {
            return TypedResults.NotFound();
        }

        await devices.RevokeAsync(id, cancellationToken);
        await revocations.RevokeAsync(id);
        await grains.GetGrain<IClientGrain>(device!.ClientId).RevokeDevice(id);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<SessionDto>>> MySessionsAsync(ClaimsPrincipal principal, IGrainFactory grains)
    {
        var caller = Caller.Require(principal);
        var summaries = await grains.GetGrain<IClientGrain>(caller.ClientId!).GetSessions();
        var open = summaries.Where(s => s.IsOpen && ClientAccess.DeviceMaySee(caller, caller.ClientId!, s.FamilyOnly));
        var sessions = await Task.WhenAll(open.Select(s => grains.GetGrain<IConsultationSessionGrain>(s.SessionId).Get()));

        // The session's own state decides: the client's list may be behind it after a crash (the session corrects it).
        return TypedResults.Ok<IReadOnlyList<SessionDto>>([.. sessions.OfType<SessionDto>().Where(s => SessionStates.IsOpen(s.State)).OrderBy(s => s.ScheduledAt ?? s.CreatedAt)]);
    }

    [LoggerMessage(1, LogLevel.Information, "Device {DeviceId} paired with client {ClientId} as {Kind}")]
    private static partial void DevicePaired(ILogger logger, string deviceId, string clientId, string kind);
}
