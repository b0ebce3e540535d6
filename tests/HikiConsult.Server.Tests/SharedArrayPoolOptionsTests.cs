using HikiConsult.Server.Hosting;

namespace HikiConsult.Server.Tests;

/// <summary>The server raises the shared array pool's size at start, unless the operator chose one.</summary>
public sealed class SharedArrayPoolOptionsTests
{
    [Fact]
    public void Without_a_value_in_the_environment_the_servers_limit_is_set()
    {
        var environment = new Dictionary<string, string?>();

        var applied = SharedArrayPoolOptions.Apply(name => environment.GetValueOrDefault(name), (name, value) => environment[name] = value);

        Assert.True(applied);
        Assert.Equal("1024", environment[SharedArrayPoolOptions.MaxArraysPerPartitionVariable]);
    }

    [Theory]
    [InlineData("64")]
    [InlineData("4096")]
    public void An_operators_value_is_kept(string value)
    {
        var environment = new Dictionary<string, string?> { [SharedArrayPoolOptions.MaxArraysPerPartitionVariable] = value };

        var applied = SharedArrayPoolOptions.Apply(name => environment.GetValueOrDefault(name), (name, v) => environment[name] = v);

        Assert.False(applied);
        Assert.Equal(value, environment[SharedArrayPoolOptions.MaxArraysPerPartitionVariable]);
    }
}
