import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsSenderFor } from '../../surveys/sms.js';
import {
  aliyunSendSmsQuery,
  aliyunSignature,
  aliyunStringToSign,
  percentEncode,
} from './aliyun.js';
import { tc3Sign, tencentSendSmsRequest } from './tencent.js';

// Alibaba Cloud SMS "HTTP协议及签名" (help.aliyun.com/document_detail/56189.html): worked example.
const ALIYUN_DOC_PARAMS = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

describe('Aliyun SMS signature (RPC v1, HMAC-SHA1)', () => {
  it("reproduces the documented example's string to sign and signature", () => {
    expect(aliyunStringToSign('GET', ALIYUN_DOC_PARAMS)).toBe(
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25',
    );
    expect(aliyunSignature(ALIYUN_DOC_PARAMS, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('percent-encodes per RFC 3986 (space %20, * %2A, ~ kept)', () => {
    expect(percentEncode("a b*~!'()")).toBe('a%20b%2A~%21%27%28%29');
    expect(percentEncode('/=&+')).toBe('%2F%3D%26%2B');
  });
});

describe('Tencent Cloud TC3-HMAC-SHA256', () => {
  it('reproduces the documented example (CVM DescribeInstances, 1551113065)', () => {
    // Tencent Cloud API 3.0 "Signature v3" page, worked example values.
    const s = tc3Sign({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1551113065,
      payload:
        '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(s.hashedPayload).toBe(
      '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(s.hashedCanonicalRequest).toBe(
      '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(s.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(s.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(s.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });
});

describe('SMS gateways over real HTTP (a local server checks the signatures)', () => {
  let server: Server;
  let base = '';
  const seen: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  let answer = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const settings = () => ({
    KEFU_SMS_ACCESS_KEY_ID: 'kid',
    KEFU_SMS_ACCESS_KEY_SECRET: 'ksecret',
    KEFU_SMS_SIGN_NAME: '客服中心',
    KEFU_SMS_TEMPLATE: 'SMS_1',
    KEFU_SMS_APP_ID: '1400000000',
    KEFU_SMS_ENDPOINT: base,
  });

  it('Aliyun: a signed GET the receiver can verify; every message logged with a masked number', async () => {
    const lines: unknown[] = [];
    const log = {
      info: (o: unknown) => void lines.push(o),
      warn: (o: unknown) => void lines.push(o),
    };
    answer = { status: 200, body: '{"Code":"OK","Message":"OK"}' };
    const sender = smsSenderFor('aliyun', log as never, settings());
    await sender.send({ to: '13912345678', text: '您的工单已受理', ref: 'ref-1' });
    const url = new URL(seen.at(-1)!.url, base);
    const params = Object.fromEntries(url.searchParams);
    const { Signature, ...rest } = params;
    expect(Signature).toBe(aliyunSignature(rest, 'ksecret'));
    expect(rest).toMatchObject({
      Action: 'SendSms',
      PhoneNumbers: '13912345678',
      SignName: '客服中心',
      TemplateCode: 'SMS_1',
      TemplateParam: '{"content":"您的工单已受理"}',
      OutId: 'ref-1',
    });
    const logged = JSON.stringify(lines);
    expect(logged).toContain('139******78');
    expect(logged).not.toContain('13912345678');
    expect(logged).not.toContain('工单');

    answer = { status: 200, body: '{"Code":"isv.BUSINESS_LIMIT_CONTROL"}' };
    await expect(sender.send({ to: '13912345678', text: 'x', ref: 'ref-2' })).rejects.toThrow(
      /BUSINESS_LIMIT_CONTROL/,
    );
    expect(JSON.stringify(lines.at(-1))).toContain('ref-2');
  });

  it('Tencent: a TC3-signed POST the receiver can verify', async () => {
    answer = {
      status: 200,
      body: '{"Response":{"SendStatusSet":[{"Code":"Ok"}],"RequestId":"r"}}',
    };
    const sender = smsSenderFor('tencent', undefined, settings());
    await sender.send({ to: '13912345678', text: '123456', ref: 'ref-3' });
    const got = seen.at(-1)!;
    const body = JSON.parse(got.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      PhoneNumberSet: ['+8613912345678'],
      SmsSdkAppId: '1400000000',
      TemplateId: 'SMS_1',
      TemplateParamSet: ['123456'],
    });
    const ts = Number(got.headers['x-tc-timestamp']);
    const expected = tc3Sign({
      secretId: 'kid',
      secretKey: 'ksecret',
      service: 'sms',
      host: String(got.headers.host),
      timestamp: ts,
      payload: got.body,
      contentType: String(got.headers['content-type']),
    });
    expect(got.headers.authorization).toBe(expected.authorization);
    expect(got.headers['x-tc-action']).toBe('SendSms');

    answer = {
      status: 200,
      body: '{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure"}}}',
    };
    await expect(sender.send({ to: '+85291234567', text: 'x', ref: 'r' })).rejects.toThrow(
      /SignatureFailure/,
    );
  });

  it('the request builders are deterministic for a given instant', () => {
    const cfg = { ...settings(), at: new Date('2026-03-02T02:00:00Z') };
    const m = { to: '13912345678', text: 't', ref: 'r' };
    const q = aliyunSendSmsQuery(
      {
        accessKeyId: 'a',
        accessKeySecret: 'b',
        signName: 's',
        templateCode: 'T',
        templateParam: 'content',
        regionId: 'cn-hangzhou',
        endpoint: base,
      },
      m,
      'nonce',
      cfg.at,
    );
    expect(q).toContain('Timestamp=2026-03-02T02%3A00%3A00Z');
    const t = tencentSendSmsRequest(
      {
        secretId: 'a',
        secretKey: 'b',
        sdkAppId: '1',
        signName: 's',
        templateId: 'T',
        region: 'ap-guangzhou',
        endpoint: 'https://sms.tencentcloudapi.com',
      },
      m,
      cfg.at,
    );
    expect(t.headers['X-TC-Timestamp']).toBe(String(cfg.at.getTime() / 1000));
    expect(t.headers.Authorization).toContain('2026-03-02/sms/tc3_request');
  });

  it('refuses to start without the gateway settings', () => {
    expect(() => smsSenderFor('aliyun', undefined, {})).toThrow(/KEFU_SMS_ACCESS_KEY_ID/);
    expect(() =>
      smsSenderFor('tencent', undefined, { ...settings(), KEFU_SMS_APP_ID: undefined }),
    ).toThrow(/KEFU_SMS_APP_ID/);
  });
});
