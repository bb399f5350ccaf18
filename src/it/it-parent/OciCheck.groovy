// Checks shared by the verify.groovy scripts. Load with:
//   def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
// All checks are plain asserts, so a failing one names the expression and its values.

import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.security.MessageDigest
import java.util.concurrent.TimeUnit
import java.util.zip.GZIPInputStream

def json(File f) {
  assert f.isFile(): "missing ${f}"
  return new JsonSlurper().parse(f)
}

def blobFile(File layout, String digest) {
  assert digest.startsWith('sha256:'): "unexpected digest ${digest}"
  return new File(layout, 'blobs/sha256/' + digest.substring(7))
}

def sha256(File f) {
  def md = MessageDigest.getInstance('SHA-256')
  f.withInputStream { input ->
    byte[] buf = new byte[65536]
    int n
    while ((n = input.read(buf)) > 0) {
      md.update(buf, 0, n)
    }
  }
  return md.digest().encodeHex().toString()
}

/** The layout is well formed and every blob's sha256 matches its file name. */
def checkLayout(File layout) {
  assert json(new File(layout, 'oci-layout')).imageLayoutVersion == '1.0.0'
  def index = json(new File(layout, 'index.json'))
  assert index.schemaVersion == 2
  def blobs = new File(layout, 'blobs/sha256').listFiles()
  assert blobs != null && blobs.length > 0
  blobs.each { blob -> assert sha256(blob) == blob.name: "blob ${blob} does not match its name" }
  return index
}

/** Tags of the layout, from index.json. */
def tags(File layout) {
  return json(new File(layout, 'index.json')).manifests
      .collect { it.annotations?.get('org.opencontainers.image.ref.name') }
      .findAll { it != null }
}

/** The manifest descriptor a tag points to (exactly one entry carries it). */
def descriptor(File layout, String tag) {
  def matches = json(new File(layout, 'index.json')).manifests
      .findAll { it.annotations?.get('org.opencontainers.image.ref.name') == tag }
  assert matches.size() == 1: "tag ${tag} in ${layout}: ${matches.size()} entries"
  def d = matches[0]
  assert d.mediaType == 'application/vnd.oci.image.manifest.v1+json'
  def blob = blobFile(layout, d.digest)
  assert blob.length() == d.size
  return d
}

def manifest(File layout, String tag) {
  def m = json(blobFile(layout, descriptor(layout, tag).digest))
  assert m.schemaVersion == 2
  assert m.config.mediaType == 'application/vnd.oci.image.config.v1+json'
  m.layers.each { l -> assert blobFile(layout, l.digest).length() == l.size }
  return m
}

def config(File layout, String tag) {
  def m = manifest(layout, tag)
  def c = json(blobFile(layout, m.config.digest))
  assert c.rootfs.type == 'layers'
  assert c.rootfs.diff_ids.size() == m.layers.size()
  return c
}

/** Opens a layer blob as a plain tar stream. */
def openLayer(File layout, Map layer) {
  def input = new BufferedInputStream(new FileInputStream(blobFile(layout, layer.digest)))
  switch (layer.mediaType) {
    case 'application/vnd.oci.image.layer.v1.tar+gzip': return new GZIPInputStream(input)
    case 'application/vnd.oci.image.layer.v1.tar': return input
    default: assert false: "layer media type not handled by the checks: ${layer.mediaType}"
  }
}

/**
 * The entries of a layer as a map name -> [type: typeflag char, size, mode, uid, gid, mtime, data (regular
 * files up to 1 MiB)]. A tiny ustar reader: PAX 'x' records for path/linkpath/size, GNU 'L' long names.
 */
def layerEntries(File layout, Map layer) {
  def entries = new LinkedHashMap()
  def input = openLayer(layout, layer)
  try {
    def readBlock = { int n ->
      byte[] b = new byte[n]
      int off = 0
      while (off < n) {
        int r = input.read(b, off, n - off)
        assert r > 0: 'truncated tar'
        off += r
      }
      return b
    }
    def str = { byte[] h, int off, int len ->
      int end = off
      while (end < off + len && h[end] != 0) end++
      return new String(h, off, end - off, 'UTF-8')
    }
    def octal = { byte[] h, int off, int len ->
      def s = str(h, off, len).trim()
      return s.isEmpty() ? 0L : Long.parseLong(s, 8)
    }
    Map pax = [:]
    String longName = null
    while (true) {
      byte[] h = readBlock(512)
      if (h.every { it == 0 }) break
      String name = str(h, 0, 100)
      String prefix = str(h, 345, 155)
      if (!prefix.isEmpty()) name = prefix + '/' + name
      long size = octal(h, 124, 12)
      char type = (char) (h[156] == 0 ? '0' : h[156])
      long padded = (size + 511).intdiv(512) * 512
      byte[] data = padded > 0 ? readBlock((int) padded) : new byte[0]
      if (type == 'x' as char) {
        // Record lengths count bytes, so split on bytes before decoding (values may be UTF-8).
        int i = 0
        while (i < size) {
          int sp = i
          while (data[sp] != (byte) 0x20) sp++
          int len = Integer.parseInt(new String(data, i, sp - i, 'US-ASCII'))
          def rec = new String(data, sp + 1, i + len - 1 - (sp + 1), 'UTF-8')
          int eq = rec.indexOf('=')
          pax[rec.substring(0, eq)] = rec.substring(eq + 1)
          i += len
        }
        continue
      }
      if (type == 'L' as char) {
        longName = new String(data, 0, (int) size, 'UTF-8').replaceAll('\u0000+$', '')
        continue
      }
      if (longName != null) name = longName
      if (pax.path) name = pax.path
      if (pax.size) size = Long.parseLong(pax.size)
      entries[name] = [type: type, size: size, mode: octal(h, 100, 8), uid: octal(h, 108, 8),
                       gid: octal(h, 116, 8), mtime: octal(h, 136, 12),
                       data: (type == '0' as char) ? Arrays.copyOf(data, (int) size) : null]
      pax = [:]
      longName = null
    }
  } finally {
    input.close()
  }
  return entries
}

/** Runs a command; asserts exit status 0 and returns its standard output. */
def run(List<String> command, File dir) {
  def p = new ProcessBuilder(command).directory(dir).redirectErrorStream(true).start()
  def out = p.inputStream.text
  int rc = p.waitFor()
  assert rc == 0: "${command.join(' ')} exited ${rc}:\n${out}"
  return out
}

/** Debian's umoci (Go) and skopeo both accept the image. */
def checkWithTools(File layout, String tag) {
  def umociOut = run(['/usr/bin/umoci', 'stat', '--image', "${layout.absolutePath}:${tag}".toString()], layout)
  assert umociOut.contains('LAYER') || umociOut.contains('CREATED')
  def skopeoOut = run(['/usr/bin/skopeo', 'inspect', "oci:${layout.absolutePath}:${tag}".toString()], layout)
  def inspected = new JsonSlurper().parseText(skopeoOut)
  assert inspected.Digest == descriptor(layout, tag).digest
  return inspected
}

/**
 * Unpacks the image {@code image} ("LAYOUT:TAG") with {@code umociBinary} (Debian's umoci) into
 * {@code bundle} and runs it under {@code runcBinary}, as root (as .ci/run runs the ITs), without a
 * terminal, its state below {@code basedir}/target/runc. {@code checkRuntime}, when given, is called
 * with the bundle's runtime config first. Asserts that the container ends within 300 s with exit
 * status 0; returns its output (standard output and error) as lines.
 */
def runUnderRunc(String umociBinary, String runcBinary, File basedir, String image, File bundle,
                 Closure checkRuntime = null) {
  assert ['id', '-u'].execute().text.trim() == '0': "${basedir.name} runs the image under runc as root (as .ci/run does)"
  run([umociBinary, 'unpack', '--image', image, bundle.absolutePath], basedir)
  def configFile = new File(bundle, 'config.json')
  def runtime = new JsonSlurper().parse(configFile)
  if (checkRuntime != null) {
    checkRuntime(runtime)
  }
  runtime.process.terminal = false
  configFile.text = JsonOutput.toJson(runtime)
  def id = basedir.name + '-' + UUID.randomUUID().toString().substring(0, 8)
  def p = new ProcessBuilder([runcBinary, '--root', new File(basedir, 'target/runc').absolutePath, 'run',
                              '--bundle', bundle.absolutePath, id])
      .directory(basedir).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
      .start()
  def out = new StringBuilder()
  def reader = Thread.start { out << p.inputStream.text }
  if (!p.waitFor(300, TimeUnit.SECONDS)) {
    p.destroyForcibly()
    assert false: "runc run ${id} did not end within 300 s: ${out}"
  }
  reader.join()
  assert p.exitValue() == 0: "runc run exited ${p.exitValue()}:\n${out}"
  return out.toString().readLines()
}
