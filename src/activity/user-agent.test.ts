import { describe, expect, it } from 'vitest';
import { addressGroup } from './address.js';
import { userAgentFamily } from './user-agent.js';

describe('userAgentFamily', () => {
  it.each([
    [
      'aws-sdk-nodejs/2.1112.0 linux/v20.19.0 configure-aws-credentials-for-github-actions promise',
      'configure-aws-credentials',
    ],
    [
      'APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.31.0 aws-sdk-go-v2/1.24.0',
      'terraform',
    ],
    ['aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.ubuntu.22 prompt/off command/iam.list-users', 'aws-cli'],
    ['Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 lang/python#3.12.1', 'boto3'],
    ['aws-sdk-js/3.500.0 ua/2.0 os/linux lang/js md/nodejs#20.11.0 api/s3#3.500.0', 'aws-sdk-js'],
    ['aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17', 'aws-sdk-java'],
    ['aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/', 'aws-sdk-go'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', 'console'],
    ['console.ec2.amazonaws.com', 'console'],
    ['signin.amazonaws.com', 'console'],
    ['vercel-oidc aws-sdk-js/3.400.0', 'vercel'],
    ['ssm.amazonaws.com', 'aws-service'],
    ['stratus-red-team_c763d13b', 'other'],
    [null, 'unknown'],
  ])('Given user agent %s, When normalised, Then the family is %s', (agent, family) => {
    expect(userAgentFamily(agent)).toBe(family);
  });
});

describe('addressGroup', () => {
  it.each([
    ['52.154.133.36', 'public', '52.154.133.0/24'],
    ['10.1.2.3', 'private', 'private'],
    ['172.20.0.9', 'private', 'private'],
    ['172.32.0.9', 'public', '172.32.0.0/24'],
    ['192.168.1.1', 'private', 'private'],
    ['2001:db8:abcd:12::1', 'public', '2001:db8:abcd::/48'],
    ['fd00::1', 'private', 'private'],
    ['ec2.amazonaws.com', 'aws-service', 'ec2.amazonaws.com'],
    ['AWS Internal', 'aws-service', 'AWS Internal'],
    [null, 'other', 'unknown'],
  ])('Given source %s, When grouped, Then it is %s %s', (source, kind, group) => {
    expect(addressGroup(source)).toEqual({ kind, group });
  });
});
