package dev.umoci.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link PosixFs} for unprivileged users: every call is retried through {@link Unpriv#wrap} when a
 * parent directory refuses access. Ownership changes are passed through unchanged: callers decide
 * whether to attempt them (rootless extraction does not).
 */
final class RootlessPosixFs implements PosixFs {
  private final PosixFs fs;

  RootlessPosixFs(PosixFs fs) {
    this.fs = fs;
  }

  @Override
  public FileStat lstat(Path path) throws IOException {
    return Unpriv.wrap(fs, path, () -> fs.lstat(path));
  }

  @Override
  public FileStat lstatOrNull(Path path) throws IOException {
    return Unpriv.wrap(fs, path, () -> fs.lstatOrNull(path));
  }

  @Override
  public void unlink(Path path) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.unlink(path)));
  }

  @Override
  public void rmdir(Path path) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.rmdir(path)));
  }

  @Override
  public void lchown(Path path, int uid, int gid) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.lchown(path, uid, gid)));
  }

  @Override
  public void chmod(Path path, int mode) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.chmod(path, mode)));
  }

  @Override
  public void mknod(Path path, int type, int permissions, long major, long minor)
      throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.mknod(path, type, permissions, major, minor)));
  }

  @Override
  public void mkfifo(Path path, int permissions) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.mkfifo(path, permissions)));
  }

  @Override
  public void setXattr(Path path, String name, byte[] value) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.setXattr(path, name, value)));
  }

  @Override
  public byte[] getXattr(Path path, String name) throws IOException {
    return Unpriv.wrap(fs, path, () -> fs.getXattr(path, name));
  }

  @Override
  public List<String> listXattrs(Path path) throws IOException {
    return Unpriv.wrap(fs, path, () -> fs.listXattrs(path));
  }

  @Override
  public void removeXattr(Path path, String name) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.removeXattr(path, name)));
  }

  @Override
  public void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException {
    Unpriv.wrap(fs, path, () -> run(() -> fs.setTimes(path, atimeNanos, mtimeNanos)));
  }

  @Override
  public void symlink(byte[] target, Path link) throws IOException {
    Unpriv.wrap(fs, link, () -> run(() -> fs.symlink(target, link)));
  }

  @Override
  public byte[] readlink(Path link) throws IOException {
    return Unpriv.wrap(fs, link, () -> fs.readlink(link));
  }

  private interface VoidAction {
    void run() throws IOException;
  }

  private static Void run(VoidAction a) throws IOException {
    a.run();
    return null;
  }
}
