using System.Text.Json;

namespace HikiConsult.EarlyConsultation.Tests.Infrastructure;

/// <summary>Equality of wire records by their JSON (records holding lists compare lists by reference).</summary>
public static class Same
{
    public static void Json<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, TestServerApp.Json), JsonSerializer.Serialize(actual, TestServerApp.Json));
}
