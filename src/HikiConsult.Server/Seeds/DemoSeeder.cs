using System.Text.Json;
using Dapper;
using Orleans;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.Clients;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace HikiConsult.Server.Seeds;

/// <summary>
/// Fills a database without accounts: the bootstrap admin when configured, and the demo seed (fictional people
/// only) unless the environment is Production. Runs after the grain host has started, through the same grains
/// and stores as the API.
/// </summary>
internal sealed partial class DemoSeeder(
    IOptions<SeedOptions> options,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    IServer server,
    UserStore users,
    IGrainFactory grains,
    IDatabase database,
    TimeProvider time,
    ILogger<DemoSeeder> logger) : IHostedService
{
    private const string DemoMarker = "demo_seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Nodes of a cluster start together on one database: one fills it, the others then find its accounts.
        await using (await database.LockAsync(nameof(DemoSeeder), cancellationToken))
        {
            await FillEmptyDatabaseAsync(cancellationToken);
        }

        if (await HasDemoMarkerAsync(cancellationToken))
        {
            lifetime.ApplicationStarted.Register(LogSignInHint);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task FillEmptyDatabaseAsync(CancellationToken cancellationToken)
    {
        var hasAccounts = await users.CountAsync(cancellationToken) > 0;
        if (!hasAccounts)
        {
            await BootstrapAdminAsync(cancellationToken);
            await LoadDemoAsync(cancellationToken);
        }
    }

    private async Task BootstrapAdminAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.BootstrapAdminUsername) || string.IsNullOrEmpty(o.BootstrapAdminPassword))
        {
            return;
        }

        await users.CreateAsync(o.BootstrapAdminUsername, "Administrator", Roles.Admin, o.BootstrapAdminPassword, cancellationToken);
        BootstrapAdminCreated(logger, o.BootstrapAdminUsername);
    }

    private async Task LoadDemoAsync(CancellationToken cancellationToken)
    {
        var mode = options.Value.Demo.Trim().ToLowerInvariant();
        if (mode is "false" or "off" or "no")
        {
            return;
        }

        if (environment.IsProduction())
        {
            if (mode is "true" or "on" or "yes")
            {
                DemoRefused(logger);
            }
            else
            {
                DemoSkipped(logger);
            }

            return;
        }

        var path = options.Value.DemoFile ?? Path.Combine(AppContext.BaseDirectory, "seeds", "demo.json");
        if (!File.Exists(path))
        {
            DemoFileMissing(logger, path);
            return;
        }

        await using var stream = File.OpenRead(path);
        var seed = await JsonSerializer.DeserializeAsync<DemoSeed>(stream, JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidOperationException($"{path} is empty.");

        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in seed.Users)
        {
            ids[user.Username] = (await users.CreateAsync(user.Username, user.DisplayName, user.Role, seed.Password, cancellationToken)).Id;
        }

        var now = time.GetUtcNow();
        foreach (var demo in seed.Clients)
        {
            var counselorId = ids.GetValueOrDefault(demo.Counselor)
                ?? throw new InvalidOperationException($"{path}: client '{demo.Alias}' names unknown counselor '{demo.Counselor}'.");
            var clientId = EntityIds.NewClientId();
            var client = grains.GetGrain<IClientGrain>(clientId);
            await client.Create(new NewClient(demo.Alias, demo.Language, demo.TimeZone, counselorId, counselorId));
            foreach (var scope in demo.Consents)
            {
                await client.RecordConsent(new ConsentRecord(scope, now, counselorId));
            }

            var at = now.AddHours(demo.SessionInHours);
            var scheduledAt = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);
            await grains.GetGrain<IConsultationSessionGrain>(EntityIds.NewSessionId())
                .Create(new NewSession(clientId, scheduledAt, FamilyOnly: false, counselorId));
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { key = DemoMarker, value = now.ToString("O") },
            cancellationToken: cancellationToken));
        DemoLoaded(logger, seed.Users.Count, seed.Clients.Count, path);
    }

    private async Task<bool> HasDemoMarkerAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM meta WHERE key = @key", new { key = DemoMarker }, cancellationToken: cancellationToken)) > 0;
    }

    private void LogSignInHint()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var url = (addresses?.FirstOrDefault() ?? "http://localhost:5080").TrimEnd('/');
        SignInHint(logger, url + "/", url + "/avatar");
    }

    [LoggerMessage(1, LogLevel.Information, "Demo seed loaded from {Path}: {Users} accounts, {Clients} fictional clients with a scheduled session each")]
    private static partial void DemoLoaded(ILogger logger, int users, int clients, string path);

    [LoggerMessage(2, LogLevel.Warning,
        "Demo data present. Sign in at {Url} as demo.counselor, demo.supervisor or demo.admin, password demo-password. The avatar page is {AvatarUrl} (pair it with a code from the console).")]
    private static partial void SignInHint(ILogger logger, string url, string avatarUrl);

    [LoggerMessage(3, LogLevel.Error, "Seeds:Demo is on, but the demo seed is refused in the Production environment; nothing was loaded")]
    private static partial void DemoRefused(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "Production environment: no demo seed. Configure Seeds:BootstrapAdminUsername and Seeds:BootstrapAdminPassword to create the first admin")]
    private static partial void DemoSkipped(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "Demo seed file {Path} not found; nothing was loaded")]
    private static partial void DemoFileMissing(ILogger logger, string path);

    [LoggerMessage(6, LogLevel.Information, "Created the bootstrap admin account {Username}")]
    private static partial void BootstrapAdminCreated(ILogger logger, string username);
}
