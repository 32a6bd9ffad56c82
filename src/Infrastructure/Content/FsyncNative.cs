using System.Runtime.InteropServices;

namespace ECase.Infrastructure.Content;

/// <summary>fsync of a directory (.NET cannot open one as a file handle), so that a rename into it is durable.</summary>
internal static partial class FsyncNative
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux (x86-64 and arm64)

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0) throw new System.IO.IOException($"open({path}) failed with errno {Marshal.GetLastPInvokeError()}.");
        try
        {
            if (Fsync(fd) != 0) throw new System.IO.IOException($"fsync({path}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        finally
        {
            Close(fd);
        }
    }
}
