// The strings this stand-in for the engine sends, written in one copy rather than byte by byte.
// The engine encodes its requests in Go; google-protobuf's JavaScript writer, which the SDK's
// generated messages use, pushes each byte of a string into an array. A provider text is about
// 35 KB and travels in nearly every call, so that loop was most of the tier's time. A string and
// a bytes field are the same on the wire (wire type 2: a length, then the UTF-8 bytes), and the
// tier checks that both writers give the same bytes. The provider host keeps the SDK's writer.
import { BinaryWriter } from "google-protobuf";

const prototype = BinaryWriter.prototype as { writeString: unknown };
const googleWriter = Object.getOwnPropertyDescriptor(prototype, "writeString")!;

/** Writes a string field as the UTF-8 bytes Node encodes in one call. */
function writeStringInOneCopy(this: BinaryWriter, field: number, value: string): void {
  this.writeBytes(field, Buffer.from(value, "utf8"));
}

Object.defineProperty(prototype, "writeString", { ...googleWriter, value: writeStringInOneCopy });

/** Whether messages are written by this module's string writer. */
export const writesStringsInOneCopy = (): boolean => prototype.writeString === writeStringInOneCopy;

/** What `write` returns with google-protobuf's own string writer in place. */
export function withGoogleStringWriter<T>(write: () => T): T {
  Object.defineProperty(prototype, "writeString", googleWriter);
  try {
    return write();
  } finally {
    Object.defineProperty(prototype, "writeString", {
      ...googleWriter,
      value: writeStringInOneCopy,
    });
  }
}
