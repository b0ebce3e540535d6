using Orleans;

namespace HikiConsult.Server.Hubs;

internal static class ObserverReferences
{
    /// <summary>
    /// Releases an observer reference made with <see cref="IGrainFactory.CreateObjectReference{T}"/>. When the silo
    /// has stopped first (the host stops services in an order of its own), it has released every reference already,
    /// and Orleans says the reference is not associated with a local object: there is nothing left to release.
    /// </summary>
    public static void Delete<T>(IGrainFactory grains, T reference)
        where T : IGrainObserver
    {
        try
        {
            grains.DeleteObjectReference<T>(reference);
        }
        catch (ArgumentException)
        {
        }
    }
}
