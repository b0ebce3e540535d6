using System.Globalization;
using HikiConsult.Actors.Internal;

namespace HikiConsult.Actors;

/// <summary>Key accessors for grains and grain references.</summary>
public static class GrainExtensions
{
    /// <summary>The grain id of a grain, a grain reference or an observer reference.</summary>
    public static GrainId GetGrainId(this IAddressable grain) => grain switch
    {
        Grain g => g.GrainContext.GrainId,
        GrainReference r => r.GrainId,
        null => throw new ArgumentNullException(nameof(grain)),
        _ => throw new ArgumentException($"{grain.GetType().Name} is neither a grain nor a grain reference.", nameof(grain)),
    };

    public static string GetPrimaryKeyString(this IAddressable grain) => grain.GetGrainId().Key;

    public static Guid GetPrimaryKey(this IAddressable grain) => Guid.ParseExact(grain.GetGrainId().Key, "N");

    public static long GetPrimaryKeyLong(this IAddressable grain) => long.Parse(grain.GetGrainId().Key, CultureInfo.InvariantCulture);
}
