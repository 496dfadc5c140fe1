// A fake AWS STS endpoint on 127.0.0.1 that answers GetCallerIdentity, the one AWS call a
// preview of a new slipway stack makes when its VPC and subnets are given (the alarm topic's key
// policy names the account). The AWS provider reaches it through `aws:endpoints`.
import * as http from "node:http";
import { AddressInfo } from "node:net";

export const FAKE_ACCOUNT_ID = "123456789012";

export interface FakeSts {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The `Action` of each request, in order. */
  readonly actions: readonly string[];
  close(): Promise<void>;
}

const IDENTITY = {
  Account: FAKE_ACCOUNT_ID,
  Arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/slipway-preview`,
  UserId: "AIDASLIPWAYPREVIEW",
};

/** Answers in the protocol asked: JSON for an `X-Amz-Target` request, else the Query API's XML. */
export async function startFakeSts(): Promise<FakeSts> {
  const actions: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const target = req.headers["x-amz-target"];
      const action =
        typeof target === "string"
          ? (target.split(".").pop() ?? "")
          : (new URLSearchParams(body).get("Action") ?? "");
      actions.push(action);
      if (action !== "GetCallerIdentity") {
        res.writeHead(400, { "content-type": "text/xml" });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>the fake answers GetCallerIdentity only, not ${action}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
        );
      } else if (typeof target === "string") {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(IDENTITY));
      } else {
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
            `<GetCallerIdentityResult><Arn>${IDENTITY.Arn}</Arn><UserId>${IDENTITY.UserId}</UserId>` +
            `<Account>${IDENTITY.Account}</Account></GetCallerIdentityResult>` +
            "<ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata>" +
            "</GetCallerIdentityResponse>",
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    actions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
