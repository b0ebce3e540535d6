using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace HikiConsult.Testing;

/// <summary>
/// The PostgreSQL server the tests run against when <c>HIKICONSULT_TEST_POSTGRES</c> holds a connection string to it
/// (test.sh starts a private one): every <see cref="TestServerApp"/> then gets its own database, named after its data
/// directory, so a second app on the same directory finds the same data, as it would find the same SQLite file.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "HIKICONSULT_TEST_POSTGRES";

    /// <summary>The server's connection string, or null when the tests run on SQLite.</summary>
    public static string? Server { get; } = System.Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } s ? s : null;

    public static bool IsOn => Server is not null;

    public static string DatabaseName(string dataDirectory) =>
        "hc_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..24];

    /// <summary>Creates the database unless it exists; returns its connection string.</summary>
    public static string EnsureDatabase(string name)
    {
        using var connection = OpenServer();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    public static string ConnectionString(string name) => new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;

    public static void DropDatabase(string name)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = OpenServer();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    private static NpgsqlConnection OpenServer()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }
}
