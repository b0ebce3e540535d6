using System.Security.Cryptography;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.Protection;
using HikiConsult.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Server.Tests;

/// <summary>Encryption at rest (issue #22, point 5): what the database files hold, the key ring, file modes.</summary>
[Trait("Storage", "Sqlite")] // reads the SQLite files; on PostgreSQL, ErasureTests and the stores cover the same seam
public sealed class DataAtRestTests : IAsyncLifetime
{
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = Owner | UnixFileMode.UserExecute;

    private readonly TestServerApp _app = new();

    public Task InitializeAsync()
    {
        _app.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task Messages_notes_and_clinical_records_are_not_in_the_database_files_and_read_back_whole()
    {
        const string Marker = "plaintext-marker-5e0c1d";
        var s = await ClinicalMarkers.WriteAllAsync(_app, Marker);

        Assert.False(ClinicalMarkers.IsInDatabaseFiles(_app, Marker));
        Assert.Equal(0L, await _app.QueryScalarAsync("SELECT COUNT(*) FROM clinical_records WHERE record NOT LIKE 'hc1.%'"));
        Assert.Equal(0L, await _app.QueryScalarAsync("SELECT COUNT(*) FROM session_events WHERE kind <> 'system' AND body NOT LIKE 'hc1.%'"));

        var events = (await _app.GetJsonAsync<EventsPage>($"/api/sessions/{s.Session.Id}/events", s.Counselor.Token)).Events;
        Assert.Contains(events, e => e.Body.TryGetProperty("text", out var text) && text.GetString() == $"I want to die {Marker} message");
        var transcript = await _app.ExpectStatusAsync(200, HttpMethod.Get, $"/api/sessions/{s.Session.Id}/transcript", s.Counselor.Token);
        Assert.Contains($"{Marker} closing note", transcript, StringComparison.Ordinal);
        var alerts = await _app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/alerts", s.Counselor.Token);
        Assert.Contains($"{Marker} acknowledgement", alerts.GetRawText(), StringComparison.Ordinal);
        var records = await _app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/isolation-records", s.Counselor.Token);
        Assert.Contains($"{Marker} condition", records.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_written_under_an_older_key_stay_readable_after_a_rotation_and_a_restart()
    {
        var s = await Scenario.CreateAsync(_app);
        var (counselor, device) = await s.JoinBothAsync(_app);
        await device.SendTextAsync(s.Session.Id, "under the first key");
        var second = _app.Services.GetRequiredService<DataKeyRing>().Rotate();
        await device.SendTextAsync(s.Session.Id, "under the second key");
        await counselor.DisposeAsync();
        await device.DisposeAsync();

        var keyIds = new HashSet<string>();
        foreach (var body in await QueryStringsAsync($"SELECT body FROM session_events WHERE session_id = '{s.Session.Id}' AND kind <> 'system' ORDER BY seq"))
        {
            keyIds.Add(body.Split('.')[1]);
        }

        Assert.Equal(2, keyIds.Count);
        Assert.Contains(second, keyIds);
        Assert.Equal(2, Directory.GetFiles(_app.KeyDirectory, "data-*.key").Length);

        await _app.RestartAsync();
        var texts = ((await _app.GetJsonAsync<EventsPage>($"/api/sessions/{s.Session.Id}/events", s.Counselor.Token)).Events)
            .Where(e => e.Kind == EventKinds.Text)
            .Select(e => e.Body.GetProperty("text").GetString());
        Assert.Equal(["under the first key", "under the second key"], texts);
    }

    [Fact]
    public void A_value_changed_in_the_file_or_named_under_another_key_is_refused()
    {
        var ring = _app.Services.GetRequiredService<DataKeyRing>();
        var protector = _app.Services.GetRequiredService<IClinicalDataProtector>();
        var stored = protector.Protect("a note");
        var otherKey = ring.Rotate();

        var parts = stored.Split('.');
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect($"hc1.{otherKey}.{parts[2]}"));
        var flipped = Convert.FromBase64String(parts[2]);
        flipped[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect($"hc1.{parts[1]}.{Convert.ToBase64String(flipped)}"));
        Assert.Equal("a note", protector.Unprotect(stored));
        Assert.Equal("{\"written\":\"before encryption\"}", protector.Unprotect("{\"written\":\"before encryption\"}"));
    }

    [Fact]
    public async Task Database_files_and_keys_are_the_owners_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Something written, so that the WAL and SHM files exist.
        await Scenario.CreateAsync(_app);
        foreach (var path in new[] { _app.DatabasePath, _app.DatabasePath + "-wal", _app.DatabasePath + "-shm", _app.SigningKeyPath }
            .Concat(Directory.GetFiles(_app.KeyDirectory, "data-*.key")))
        {
            Assert.True(File.Exists(path), path);
            Assert.Equal(Owner, File.GetUnixFileMode(path));
        }

        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(_app.DataDirectory));
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(_app.KeyDirectory));
    }

    [Fact]
    public async Task On_a_fresh_install_the_keys_are_beside_the_data_directory_and_an_old_signing_key_moves_there()
    {
        var root = Directory.CreateTempSubdirectory("hikiconsult-keys-").FullName;
        try
        {
            // An install from before: its signing key in the data directory, readable by all.
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(data);
            var oldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
            await File.WriteAllTextAsync(Path.Combine(data, "signing-key"), oldKey);
            await using (var app = new TestServerApp(new() { ["Keys:Directory"] = null }, dataDirectory: data))
            {
                app.Start();
                var staff = await app.CreateStaffAsync(Roles.Supervisor);
                await app.ExpectStatusAsync(200, HttpMethod.Get, "/api/clients", staff.Token);

                Assert.Equal(Path.Combine(root, "keys"), app.KeyDirectory);
                Assert.Equal(oldKey, (await File.ReadAllTextAsync(app.SigningKeyPath)).Trim());
                Assert.NotEmpty(Directory.GetFiles(app.KeyDirectory, "data-*.key"));
                Assert.Equal(["hikiconsult.db"], Directory.GetFiles(data).Select(Path.GetFileName).Where(n => !n!.EndsWith("-wal", StringComparison.Ordinal) && !n.EndsWith("-shm", StringComparison.Ordinal)));
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(Owner, File.GetUnixFileMode(app.SigningKeyPath));
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Nodes_that_share_a_key_directory_read_each_others_rows()
    {
        // Two rings on one directory, as two processes of a cluster: each finds the key the other rotated to.
        var first = new AesGcmClinicalDataProtector(new DataKeyRing(_app.KeyDirectory, TimeProvider.System, TimeSpan.Zero));
        var secondRing = new DataKeyRing(_app.KeyDirectory, TimeProvider.System, TimeSpan.Zero);
        var second = new AesGcmClinicalDataProtector(secondRing);
        secondRing.Rotate();

        var written = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => second.Protect(System.Text.Encoding.UTF8.GetBytes($"{i}")))));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{i}"), written.Select(w => ((IClinicalDataProtector)first).Unprotect(w)));
    }

    private async Task<List<string>> QueryStringsAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
